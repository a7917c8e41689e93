"""What happens: every state change and query the simulator makes, by area.

Each function takes the Simulator (``s``) as its first argument and plain values after
it; none reads Flask or a request. Doors (products/, console/, flex_ui/, control/) read
the wire, call these, and render the answer; Twilio's decisions are pure functions in
``rules/``; records live in ``store``.
"""
