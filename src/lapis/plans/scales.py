"""The status scales LAPIS ships, from the source documents. Plain data: a migration loads it."""

# (label, GOV.UK tag colour, family)
SCALES = {
    "Hull BRAG": (
        "The Hull SEND improvement plan register's Blue-Red-Amber-Green scale.",
        [
            ("Not started", "grey", "not_started"),
            ("On track no concerns", "green", "on_track"),
            ("On track some concerns", "yellow", "some_concerns"),
            ("Off track", "red", "off_track"),
            ("Completed", "blue", "complete"),
            ("Embedded Sustained", "turquoise", "embedded"),
            ("Closed", "grey", "closed"),
        ],
    ),
    "Hull 2020 action RAG": (
        "The 4-point action scale of Hull's 2020 Accelerated Progress Plan.",
        [
            ("1 No action", "red", "not_started"),
            ("2 Some action taken", "yellow", "some_concerns"),
            ("3 Action advanced", "green", "on_track"),
            ("4 Action has improved outcomes", "blue", "complete"),
            ("Closed", "grey", "closed"),
        ],
    ),
    "RAG": (
        "Plain Red-Amber-Green, as in Hackney's quarterly progress report.",
        [
            ("Red", "red", "off_track"),
            ("Amber", "yellow", "some_concerns"),
            ("Green", "green", "on_track"),
            ("Complete", "blue", "complete"),
            ("Closed", "grey", "closed"),
        ],
    ),
}


def load(StatusScale, Status):
    """Create or update the shipped scales (model classes passed in, so a migration can call it)."""
    for name, (description, statuses) in SCALES.items():
        scale, _ = StatusScale.objects.update_or_create(
            name=name, defaults={"description": description}
        )
        for position, (label, colour, family) in enumerate(statuses):
            Status.objects.update_or_create(
                scale=scale,
                label=label,
                defaults={"colour": colour, "family": family, "position": position},
            )
