"""Scenarios: Twilio journeys as YAML files, replayed against a fresh simulator, recorded
from a real run, checked against a JSON Schema.

* ``schema.py``   the format (JSON Schema); ``loader.py`` reads and checks files
* ``matching.py`` expectations (matchers) and ``{{ variable }}`` templates
* ``target.py``   where requests go: an in-process app (a WSGI call) or a served simulator
* ``runner.py``   replays one scenario step by step through the simulator's doors
* ``reporter.py`` progress lines, the diff of a failing step, JUnit XML
* ``replay.py``   load, select, run and report (``twilio-sim replay``)
* ``recorder.py`` a recording (``/_sim/v1/recording``) -> a scenario; YAML output
* ``cli.py``      ``replay``, ``record``, ``scenario validate|schema``

This package imports nothing at import time: ``control/recording.py`` uses ``recorder`` while
the app is being built, and ``runner`` builds apps.
"""
