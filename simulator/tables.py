"""Every table the store holds, with the field its per-owner index follows."""

TABLES = {
    "accounts": "owner_account_sid",   # a main account owns itself and its subaccounts
    "test_credentials": "account_sid",
    "keys": "account_sid",
    "secondary_auth_tokens": "account_sid",   # one per account, keyed by the account's SID
    # phone numbers, messaging, calls, webhooks
    "incoming_phone_numbers": "account_sid",
    "applications": "account_sid",
    "outgoing_caller_ids": "account_sid",
    "messages": "account_sid",
    "message_media": "message_sid",
    "calls": "account_sid",
    "messaging_services": "account_sid",
    "tollfree_verifications": "account_sid",
    "opt_outs": "account_sid",
    "sticky_senders": "account_sid",   # Messaging Service sid + recipient -> sender
    "carrier_outcomes": "kind",        # recipient -> simulated undelivered/failed outcome
    "timers": "target",                  # pending time-driven steps (messages, calls, reviews)
    "webhook_deliveries": "account_sid",
    "alerts": "account_sid",
    "sim_settings": "kind",
    # TaskRouter, Flex and the Console
    "tr_workspaces": "account_sid",
    "tr_activities": "workspace_sid",
    "tr_workers": "workspace_sid",
    "tr_worker_channels": "worker_sid",
    "tr_task_queues": "workspace_sid",
    "tr_workflows": "workspace_sid",
    "tr_task_channels": "workspace_sid",
    "tr_tasks": "workspace_sid",
    "tr_reservations": "worker_sid",     # a task keeps its reservations' SIDs
    "tr_events": "workspace_sid",
    "flex_instances": "account_sid",
    "flex_configurations": "account_sid",
    "flex_flows": "account_sid",
    "flex_web_channels": "account_sid",
    "flex_channels": "account_sid",
    "flex_users": "instance_sid",
    "flex_invites": "instance_sid",
    "flex_sso": "instance_sid",
    "flex_tokens": "flex_user_sid",
    "studio_flows": "account_sid",
    "studio_flow_revisions": "flow_sid",
    # Conversations and Flex Interactions
    "conv_services": "account_sid",
    "conv_configurations": "account_sid",
    "conv_addresses": "account_sid",
    "conversations": "chat_service_sid",
    "conv_participants": "conversation_sid",
    "conv_pairs": "conversation_sid",    # "<proxy address>|<address>" -> its active conversation
    "conv_messages": "conversation_sid",
    "conv_receipts": "message_sid",
    "conv_webhooks": "conversation_sid",
    "flex_interactions": "account_sid",
    "flex_interaction_channels": "interaction_sid",
    "flex_interaction_invites": "channel_sid",
    "flex_interaction_participants": "channel_sid",
    "flex_interaction_transfers": "channel_sid",
    "console_users": "email",          # the index doubles as the look-up by email
    "console_sessions": "user_sid",
    "console_verifications": "user_sid",
}


def define(store):
    for name, owner in TABLES.items():
        store.define(name, owner)
