"""The audit frameworks LAPIS ships, as data: migration 0002 loads them as shared frameworks.

1. "EHC plan quality" (key `ehc-plan`), by section of the plan as the SEND Code of Practice
   0 to 25 (January 2015) lays it out in paragraph 9.62 (the sections A to K) and 9.69 (what
   each must contain), with criteria for the quality of each contributor's advice (education,
   health and social care; the `contributor` of a criterion). Each criterion is graded on the
   four-point scale the audit reports use, Inadequate (0), Requires improvement (1), Good (2),
   Outstanding (3). A section's or the plan's weighted score is the weighted share of the
   highest possible, 0 to 100, and its grade is:

   - Outstanding from 80 (a weighted average level of 2.4: mostly Outstanding, nothing weak);
   - Good from 60 (level 1.8: Good throughout scores 66.7, Good);
   - Requires improvement from 30 (level 0.9: Requires improvement throughout scores 33.3);
   - Inadequate below 30.

   A score exactly on a threshold earns the higher grade. (Thresholds at the midpoints 87.5,
   62.5 and 37.5 of a four-point 1-4 scale were considered and not used: on this 0-3 scale
   they would grade a plan that Requires improvement on every criterion Inadequate.)

2. Plymouth's "Ten Wishes" (key `ten-wishes`): the ten statements "What children and young
   people in Plymouth want from you", word for word from Plymouth's SEND self-evaluation
   (2024), audited as one section of ten equally weighted criteria, each Not met (0), Partly
   met (1) or Met (2). Outstanding from 90 (all met, or eight met and two partly met), Good
   from 70 (seven met, or four met and six partly), Requires improvement from 40, Inadequate
   below.

A framework is never edited once shipped: a new version is a new entry with a new `version`,
loaded by a new migration beside the old one, so that old audits keep their framework.
"""

from __future__ import annotations

EHC_PLAN_KEY = "ehc-plan"
TEN_WISHES_KEY = "ten-wishes"

CODE = ("SEND Code of Practice: 0 to 25 years (DfE and DHSC, January 2015), paragraphs 9.61 "
        "to 9.69 (the content of an EHC plan, sections A to K)")

# (code, text, what good looks like, weight, contributor)
EHC_SECTIONS = [
    ("A", "The views, interests and aspirations of the child and their parents, or of the "
     "young person", "Section A (Code 9.69): the child's or young person's own views, "
     "interests and aspirations and those of their parents, their history, and a summary of "
     "how to communicate with them and engage them.", [
         ("A1", "The child's or young person's own views, interests and aspirations are "
          "recorded, in their own words where possible",
          "Written in the first person or quoting the child or young person; says what they "
          "like, what they are good at, and what they want for their future; gathered in a "
          "way that suits how they communicate.", 2, ""),
         ("A2", "The parents' views, interests and aspirations are recorded",
          "The parents' views and aspirations for their child, in their words, including "
          "what matters to the family.", 1, ""),
         ("A3", "A summary of how to communicate with the child or young person and engage "
          "them in decision-making",
          "Practical: how they communicate, what helps them take part, what to avoid.", 1,
          ""),
         ("A4", "Aspirations look ahead, including to adulthood from year 9",
          "From year 9 at the latest, aspirations for employment, independent living, "
          "community participation and health (Code 8.9, 9.69).", 1, ""),
     ]),
    ("B", "The child's or young person's special educational needs",
     "Section B (Code 9.69): all of the child's or young person's identified special "
     "educational needs, each of which must be matched by provision in F.", [
         ("B1", "Every identified special educational need is described specifically",
          "Describes the needs and their effect on learning, not only a diagnosis or a "
          "category; covers every area the advice identified.", 2, ""),
         ("B2", "The needs are drawn from the advice and information gathered",
          "Each need can be traced to the advice in K; nothing in the advice is lost.", 1,
          ""),
         ("B3", "The educational advice is clear, specific and current",
          "The educational psychologist's and setting's advice describes needs precisely, "
          "is evidence-based and was given for this assessment.", 1, "education"),
     ]),
    ("C", "The child's or young person's health needs which are related to their SEN",
     "Section C (Code 9.69): health needs identified through the assessment that relate to "
     "the special educational needs.", [
         ("C1", "Health needs related to the SEN are described specifically",
          "Each relevant health need is stated with its effect on the child or young "
          "person; 'no health needs' only when the assessment says so.", 2, ""),
         ("C2", "The health advice is clear, specific and current",
          "The health professionals' advice (from the Designated Medical or Clinical Officer "
          "route) is timely, describes needs and what would help, and is written for this "
          "assessment.", 1, "health"),
     ]),
    ("D", "The child's or young person's social care needs which are related to their SEN or "
     "to a disability", "Section D (Code 9.69): social care needs related to the SEN or a "
     "disability, which may include needs assessed under the Children Act 1989 or the Care "
     "Act 2014.", [
         ("D1", "Social care needs related to the SEN or disability are described "
          "specifically", "States the needs, including short breaks or support at home, or "
          "records that the social care assessment found none.", 2, ""),
         ("D2", "The social care advice is clear, specific and current",
          "Social care advice is given for the assessment, describes needs, and is not a "
          "standard 'not known to social care' reply without enquiry.", 1, "social_care"),
     ]),
    ("E", "The outcomes sought for the child or young person",
     "Section E (Code 9.64-9.69): outcomes across education, health and care, with how "
     "progress will be reviewed; from year 9, outcomes for adulthood.", [
         ("E1", "Outcomes are SMART", "Specific, measurable, achievable, realistic and "
          "time-bound: each says what the child or young person will be able to do, and "
          "by when (Code 9.66).", 3, ""),
         ("E2", "Outcomes follow from the needs and the aspirations",
          "Each outcome addresses needs in B, C or D and builds towards the aspirations in "
          "A; they are outcomes (a benefit to the child), not provision.", 2, ""),
         ("E3", "Interim steps and review arrangements are set out",
          "Shorter-term targets or steps towards each outcome, and how and when progress "
          "will be reviewed.", 1, ""),
         ("E4", "Preparation for adulthood outcomes from year 9",
          "Outcomes for employment, independent living, friends and community, and health, "
          "for young people from year 9 (Code 8.9).", 1, ""),
     ]),
    ("F", "The special educational provision required by the child or young person",
     "Section F (Code 9.69): provision specified for each and every need in B.", [
         ("F1", "Provision is specified and quantified", "Detailed and specific: what the "
          "support is, its type, hours and frequency, who delivers it and their expertise "
          "(Code 9.69); no 'access to', 'regular' or 'as required'.", 3, ""),
         ("F2", "Every need in B has matching provision",
          "Each special educational need in B is met by provision here.", 2, ""),
         ("F3", "Provision is linked to the outcomes", "It is clear how the provision will "
          "help achieve each outcome in E.", 1, ""),
     ]),
    ("G", "Any health provision reasonably required by the learning difficulties or "
     "disabilities which result in the child or young person having SEN",
     "Section G (Code 9.69): health provision, specified, and who will provide it.", [
         ("G1", "Health provision is specified and quantified",
          "What, how often, for how long and by whom; agreed by the health commissioner.", 2,
          ""),
         ("G2", "Health provision matches the health needs in C",
          "Every health need in C has provision, or the plan says why not.", 1, ""),
     ]),
    ("H1", "Social care provision which must be made under section 2 of the Chronically Sick "
     "and Disabled Persons Act 1970", "Section H1 (Code 9.69): social care provision made "
     "under section 2 of the CSDPA 1970 for a disabled child or young person under 18.", [
         ("H1.1", "Provision under section 2 of the CSDPA 1970 is specified",
          "Practical assistance in the home, short breaks, adaptations and the like, with "
          "what, how often and who provides it.", 1, ""),
         ("H1.2", "It matches the social care needs in D", "Every need in D that calls for "
          "provision under the CSDPA has it.", 1, ""),
     ]),
    ("H2", "Any other social care provision reasonably required by the learning difficulties "
     "or disabilities which result in the child or young person having SEN",
     "Section H2 (Code 9.69): other social care provision, including from adult services "
     "under the Care Act 2014 for young people over 18.", [
         ("H2.1", "Other social care provision is specified",
          "Provision under the Children Act 1989 or, over 18, the Care Act 2014, with what, "
          "how often and who provides it.", 1, ""),
         ("H2.2", "It matches the social care needs in D",
          "Needs in D not met under H1 are met here, or the plan says why not.", 1, ""),
     ]),
    ("I", "Placement", "Section I (Code 9.69): the name and type of the school, maintained "
     "nursery school, post-16 institution or other institution, or the type only.", [
         ("I1", "The school or other institution is named, with its type",
          "In a final plan, the named setting and type (or the type alone, when the parent "
          "or young person makes their own arrangements).", 1, ""),
         ("I2", "The placement can deliver the provision",
          "The named setting can meet the needs and deliver the provision in F; the "
          "parents' or young person's preference and the reasons are recorded.", 1, ""),
     ]),
    ("J", "Personal budget", "Section J (Code 9.69): any personal budget, its arrangements, "
     "the needs and outcomes it will meet, and any direct payments.", [
         ("J1", "A personal budget, or the offer of one, is recorded",
          "Says whether a personal budget was requested and the decision; if there is one, "
          "its amount and arrangements.", 1, ""),
         ("J2", "What the budget pays for and how it meets the outcomes",
          "The provision it covers and how it will help achieve the outcomes in E; direct "
          "payments named.", 1, ""),
     ]),
    ("K", "Advice and information", "Section K (Code 9.69): the advice and information "
     "gathered during the assessment, listed and attached.", [
         ("K1", "All the required advice is listed and attached",
          "Educational, medical, psychological and social care advice, and any other "
          "advice sought (Code 9.49), each with its author and date.", 1, ""),
         ("K2", "Quality of the educational advice",
          "Specific about needs and what will help, quantified, written for this child and "
          "returned within six weeks.", 1, "education"),
         ("K3", "Quality of the health advice",
          "Specific about health needs and provision, written for this child, returned "
          "within six weeks, and agreed through the Designated Medical or Clinical Officer "
          "where needed.", 1, "health"),
         ("K4", "Quality of the social care advice",
          "Specific about social care needs and provision, written for this child and "
          "returned within six weeks.", 1, "social_care"),
     ]),
]

EHC_PLAN = {
    "key": EHC_PLAN_KEY,
    "name": "EHC plan quality",
    "version": "2024",
    "description": (
        "An audit of an EHC plan by section, as the SEND Code of Practice lays the plan out "
        "(A to K), with criteria for the quality of each contributor's advice. Criteria are "
        "graded Inadequate, Requires improvement, Good or Outstanding; a section's and the "
        "plan's grade is recorded by the auditor or computed from the weighted criteria: "
        "Outstanding from a weighted score of 80, Good from 60, Requires improvement from "
        "30, Inadequate below (a score on a threshold earns the higher grade)."),
    "source": CODE,
    "scale": ["Inadequate", "Requires improvement", "Good", "Outstanding"],
    "thresholds": ("80", "60", "30"),
    "sections": EHC_SECTIONS,
}

TEN_WISHES_SOURCE = ("Plymouth City Council and NHS Devon, Plymouth SEND local area "
                     "self-evaluation (2024): \"TEN WISHES: What Children and Young People in "
                     "Plymouth want from you...\"; Plymouth audits its work against them with "
                     "an auditing tool for the Children's Ten Wishes.")

WISHES = [
    "We want professionals to be easier to contact.",
    "We want professionals to be on time, as they expect us to be.",
    "We want professionals to be properly trained and for us to be involved in the training.",
    "We want professionals to ask us what we need and not to assume.",
    "We want professionals to do what they say they are going to do, to listen and stand up "
    "for us.",
    "We want professionals to use words we understand.",
    "We want professionals to reassure us something is being done and tell us how long it "
    "will take.",
    "We want professionals to understand when we need to talk to them one-to-one.",
    "We want professionals to ask us 'do you feel safe?'",
    "We want professionals to respect us and how we feel.",
]

TEN_WISHES = {
    "key": TEN_WISHES_KEY,
    "name": "Ten Wishes",
    "version": "2024",
    "description": (
        "Plymouth's children's and young people's Ten Wishes, as a ten-statement audit of "
        "the work with a child or young person: each wish Not met, Partly met or Met, equally "
        "weighted. Outstanding from 90 (all met, or eight met and two partly met), Good "
        "from 70, Requires improvement from 40, Inadequate below."),
    "source": TEN_WISHES_SOURCE,
    "scale": ["Not met", "Partly met", "Met"],
    "thresholds": ("90", "70", "40"),
    "sections": [
        ("W", "What children and young people want from professionals",
         "The Ten Wishes, in the children's and young people's own words.",
         [(f"W{n}", wish, "Met when the child or young person, their family or the record "
           "shows this wish was honoured in the work audited.", 1, "")
          for n, wish in enumerate(WISHES, start=1)]),
    ],
}

FRAMEWORKS = [EHC_PLAN, TEN_WISHES]


def load(Framework, Section, Criterion) -> None:  # noqa: N803 - model classes
    """Create or refresh the shipped frameworks (called by the migration with its models)."""
    for spec in FRAMEWORKS:
        outstanding, good, requires_improvement = spec["thresholds"]
        framework, _ = Framework.objects.update_or_create(
            partnership=None, key=spec["key"], version=spec["version"], defaults={
                "name": spec["name"], "description": spec["description"],
                "source": spec["source"], "scale": spec["scale"],
                "outstanding_from": outstanding, "good_from": good,
                "requires_improvement_from": requires_improvement})
        for position, (code, title, guidance, criteria) in enumerate(spec["sections"]):
            section, _ = Section.objects.update_or_create(
                framework=framework, code=code, defaults={
                    "title": title, "guidance": guidance, "position": position})
            for place, (ccode, text, good_looks, weight, contributor) in enumerate(criteria):
                Criterion.objects.update_or_create(
                    section=section, code=ccode, defaults={
                        "text": text, "guidance": good_looks, "weight": weight,
                        "contributor": contributor, "position": place})


def unload(Framework) -> None:  # noqa: N803
    for spec in FRAMEWORKS:
        Framework.objects.filter(partnership=None, key=spec["key"],
                                 version=spec["version"]).delete()
