"""issue_locally(): give every planned signup an identity with the canaries package, no vault."""

from __future__ import annotations

from canaries import Generator, PoolNumber, Taken, allocate_phone
from tracer.simulate.world import Signup, World


def issue_locally(world: World) -> list[Signup]:
    """Identities for `world.signups` in signup order, as the vault would issue them."""
    user = world.user
    generator = Generator(
        user.locale, user.name, email_domain=user.email_domain, seed=world.shape.seed
    )
    taken = Taken()
    uses = {line.e164: 0 for line in world.lines if not line.primary}
    controls = {line.e164 for line in world.lines if line.control}
    signups = []
    for planned in world.signups:
        issued = generator.issue(taken, real_name=planned.real_name)
        taken.add(issued)
        pool = [PoolNumber(e164, count, e164 in controls) for e164, count in uses.items()]
        phone = allocate_phone(pool, user.phone).phone
        if phone in uses:
            uses[phone] += 1
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
