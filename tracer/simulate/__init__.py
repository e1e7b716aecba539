"""A realistic synthetic world for `tracer simulate`, `tracer demo`, benchmarks and tests.

    shape = Shape(seed=7, platforms=30)
    world = plan(shape)                      # user, numbers, platforms, signups, hidden conduct
    signups = issue_locally(world)           # identities from the canaries package (no vault)
    traffic = generate(world, signups)       # contacts + ground truth for those identities
    write(world, signups, traffic, out)      # world.json calls.csv sms-*.xml mail.mbox truth.json

`simulate(out, shape)` does all four; `load(out)` reads a written world back. The demo issues
identities through the real vault instead and passes those `Signup`s to `generate`.
"""

from __future__ import annotations

from pathlib import Path

from tracer.simulate.files import load, sms_names, write
from tracer.simulate.planner import plan
from tracer.simulate.scene import CAUSES, Contact
from tracer.simulate.shape import Shape
from tracer.simulate.signups import issue_locally
from tracer.simulate.traffic import Reply, Traffic, generate, sms_key
from tracer.simulate.world import (
    BEHAVIOURS,
    Broker,
    Centre,
    Line,
    Planned,
    Platform,
    Signup,
    User,
    World,
)

__all__ = [
    "BEHAVIOURS",
    "CAUSES",
    "Broker",
    "Centre",
    "Contact",
    "Line",
    "Planned",
    "Platform",
    "Reply",
    "Shape",
    "Signup",
    "Traffic",
    "User",
    "World",
    "generate",
    "issue_locally",
    "load",
    "plan",
    "simulate",
    "sms_key",
    "sms_names",
    "write",
]


def simulate(out: Path, shape: Shape) -> World:
    """Plan, issue identities locally, generate traffic and write every file into `out`."""
    world = plan(shape)
    signups = issue_locally(world)
    write(world, signups, generate(world, signups), out)
    return world
