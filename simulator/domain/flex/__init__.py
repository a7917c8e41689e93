"""Flex: instances and their Configuration, Flex users and their tokens, SSO,
invitations, provisioning, Flex Flows and chat channels."""
