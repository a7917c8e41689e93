"""How records look on the wire when more than one door renders them: pure functions
from a stored record to Twilio's JSON (they import only ``dates`` and ``hosts``)."""
