"""Packaging beyond what pyproject.toml can say: the embedded default data.

The default fixtures live at the top of the project (``fixtures/default.json``, next to
``scenarios/``), where people look for them; an installed simulator finds them inside
its package, as ``simulator/fixtures/default.json``. The mapping below ships that
folder as the data package ``simulator.fixtures`` in the sdist and the wheel (and an
editable install maps it back to ``fixtures/``). Everything else is in pyproject.toml.
"""
from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["simulator", "simulator.*"],
                                     exclude=["*.__pycache__"]) + ["simulator.fixtures"],
    package_dir={"simulator.fixtures": "fixtures"},
    # and every data file of the package itself (page templates, stylesheets, schemas)
    package_data={"simulator.fixtures": ["*.json"],
                  "": ["*.html", "*.css", "*.js", "*.svg", "*.png", "*.ico", "*.json",
                       "*.yaml", "*.yml", "*.txt"]},
)
