"""Twilio REST products, one blueprint each, served under ``/<host label>/``.

Each product package (``products/<label>/``) makes its blueprint with
``product()``; every request to it is authenticated as Twilio does it (see
``auth.py``) before its handler runs. A resource module adds its routes to its
product's blueprint and is listed in ``RESOURCES`` so that the app loads it.
"""
from __future__ import annotations

import importlib

from flask import Blueprint, g

from ..auth import authenticate

RESOURCES = (
    "simulator.products.api.accounts",
    "simulator.products.api.keys",
    "simulator.products.iam.keys",
    "simulator.products.accounts.auth_tokens",
    # TaskRouter
    "simulator.products.taskrouter.workspaces",
    "simulator.products.taskrouter.activities",
    "simulator.products.taskrouter.task_channels",
    "simulator.products.taskrouter.task_queues",
    "simulator.products.taskrouter.workflows",
    "simulator.products.taskrouter.workers",
    "simulator.products.taskrouter.tasks",
    "simulator.products.taskrouter.reservations",
    "simulator.products.taskrouter.events",
    "simulator.products.taskrouter.statistics",
    # Flex
    "simulator.products.flex_api.configuration",
    "simulator.products.flex_api.flex_flows",
    "simulator.products.flex_api.channels",
    "simulator.products.flex_api.status",
    "simulator.products.flex_api.v2.users",
    "simulator.products.flex_api.interactions",
    "simulator.products.flex_api.v2.web_chats",
    # Conversations and Studio
    "simulator.products.conversations.configuration",
    "simulator.products.conversations.services",
    "simulator.products.conversations.conversations",
    "simulator.products.conversations.participants",
    "simulator.products.conversations.messages",
    "simulator.products.conversations.webhooks",
    "simulator.products.studio.flows",
    # numbers, messaging, calls and the Debugger's alerts
    "simulator.products.api.incoming_phone_numbers",
    "simulator.products.api.applications",
    "simulator.products.api.available_phone_numbers",
    "simulator.products.api.outgoing_caller_ids",
    "simulator.products.api.messages",
    "simulator.products.api.calls",
    "simulator.products.messaging.services",
    "simulator.products.messaging.tollfree_verifications",
    "simulator.products.monitor.alerts",
)


def product(label: str, version: str) -> Blueprint:
    bp = Blueprint(f"{label}_{version}".replace("-", "_").replace(".", "_"), __name__,
                   url_prefix=f"/{label}/{version}")
    bp.before_request(_authenticate)
    return bp


def _authenticate():
    g.principal = authenticate()


def blueprints() -> list[Blueprint]:
    """Load every resource module; return each product's blueprint once."""
    found = []
    for name in RESOURCES:
        package = importlib.import_module(name.rsplit(".", 1)[0])
        importlib.import_module(name)
        if package.bp not in found:
            found.append(package.bp)
    return found
