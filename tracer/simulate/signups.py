"""issue_locally(): give every planned signup an identity with the canaries package, no vault."""

from __future__ import annotations

from canaries import Allocator, Generator, PoolNumber, Taken
from tracer.identities import generation_errors
from tracer.simulate.world import Signup, World


def issue_locally(world: World) -> list[Signup]:
    """Identities for `world.signups` in signup order, as the vault would issue them (the same
    `Allocator` the vault uses, over the world's spare numbers)."""
    user = world.user
    with generation_errors():
        generator = Generator(user.locale, user.name, email_domain=user.email_domain, seed=world.shape.seed)
    taken = Taken()
    allocator = Allocator([PoolNumber(line.e164, 0, line.control) for line in world.lines if not line.primary],
                          user.phone)  # fmt: skip
    signups = []
    for planned in world.signups:
        with generation_errors():
            issued = generator.issue(taken, real_name=planned.real_name)
            phone = allocator.next().phone
        taken.add(issued)
        signups.append(
            Signup(
                platform=planned.platform,
                category=planned.category,
                at=planned.at,
                real_name=planned.real_name,
                phone=phone,
                name=issued.name,
                email=issued.email,
                markers=dict(issued.markers),
            )
        )
    return signups
