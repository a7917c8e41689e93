"""Every table the store holds, with the field its per-owner index follows."""

TABLES = {
    "accounts": "owner_account_sid",   # a main account owns itself and its subaccounts
    "test_credentials": "account_sid",
    "keys": "account_sid",
}


def define(store):
    for name, owner in TABLES.items():
        store.define(name, owner)
