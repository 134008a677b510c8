"""Sources for the launch articles, and the cluneal nerve diagram.

The sources are the ones the content brief lists, each on the article whose facts rest on it.
The diagram is an SVG drawn for the site. It is part of the code (static/img/diagrams/), not an
upload: an SVG can carry script, so media storage takes raster uploads only, and a file in the
repository is reviewed like code, served by the static files server, and present on every
machine (tests and fresh databases included) without copying anything into media storage.
"""

from django.db import migrations

CONDITION = "cluneal-nerve-entrapment"
GUIDE = "treating-back-and-neck-pain-without-surgery"

# (title, publisher, year, link)
SOURCES = {
    ("condition", CONDITION): [
        (
            "Isu T, Kim K, Morimoto D, Iwamoto N. Superior and middle cluneal nerve entrapment "
            "as a cause of low back pain",
            "Neurospine",
            2018,
            "https://doi.org/10.14245/ns.1836024.012",
        ),
        (
            "Kuniya H, Aota Y, Kawai T, et al. Prospective study of superior cluneal nerve "
            "disorder as a potential cause of low back pain and leg symptoms",
            "J Orthop Surg Res",
            2014,
            "https://doi.org/10.1186/s13018-014-0139-7",
        ),
        (
            "Aota Y. Entrapment of middle cluneal nerves as an unknown cause of low back pain",
            "World J Orthop",
            2016,
            "https://doi.org/10.5312/wjo.v7.i3.167",
        ),
        (
            "Konno T, Aota Y, Kuniya H, et al. Anatomical etiology of “pseudo-sciatica” from "
            "superior cluneal nerve entrapment: a laboratory investigation",
            "J Pain Res",
            2017,
            "https://doi.org/10.2147/JPR.S142115",
        ),
        (
            "Gill B, Cheng DS, Buchanan P, Lee DW. Review of interventional treatments for "
            "cluneal neuropathy",
            "Pain Physician",
            2022,
            "https://pubmed.ncbi.nlm.nih.gov/35901475/",
        ),
        (
            "Luo X, Zhao Y. Ultrasound-guided superior cluneal nerve block: a narrative review",
            "J Pain Res",
            2024,
            "https://doi.org/10.2147/JPR.S462166",
        ),
    ],
    ("guide", GUIDE): [
        (
            "Low back pain and sciatica in over 16s: assessment and management (NG59), "
            "updated 2020",
            "NICE",
            2016,
            "https://www.nice.org.uk/guidance/ng59",
        ),
        (
            "Qaseem A, Wilt TJ, McLean RM, Forciea MA. Noninvasive treatments for acute, "
            "subacute, and chronic low back pain: a clinical practice guideline from the "
            "American College of Physicians",
            "Ann Intern Med",
            2017,
            "https://doi.org/10.7326/M16-2367",
        ),
        (
            "Pengel LHM, Herbert RD, Maher CG, Refshauge KM. Acute low back pain: systematic "
            "review of its prognosis",
            "BMJ 327:323",
            2003,
            "",
        ),
    ],
}

DIAGRAM = {
    "static_file": "img/diagrams/cluneal-nerves.svg",
    "width": 820,
    "height": 520,
    "section": "anatomy",
    "alt": (
        "Diagram of the lower back and pelvis seen from behind, showing where the superior, "
        "middle and inferior cluneal nerves run."
    ),
    "caption": (
        "The cluneal nerves. The superior nerves cross the top ridge of the hip bone (the "
        "iliac crest), where they are most often trapped."
    ),
    "long_description": (
        "The drawing shows the lower back and the back of the pelvis, as if you were looking "
        "at someone from behind. The five bones of the lower back (L1 to L5) are stacked in "
        "the middle. Below them is the sacrum, a flat, triangle-shaped bone. On each side is a "
        "hip bone. Its curved top edge is the iliac crest, the ridge you can feel at your "
        "waist. The buttocks are drawn below.\n\n"
        "The superior cluneal nerves (red lines) start in the lower back, at L1 to L3. They "
        "run down and out to the side and cross over the iliac crest, a few inches from the "
        "middle of the back. A dashed ring marks this spot. Here the nerves pass through a "
        "tight tunnel of tough tissue and bone, and this is where they are most often "
        "trapped.\n\n"
        "The middle cluneal nerves (blue lines) come out from the side of the sacrum, at S1 "
        "to S3. They pass under a ligament near the joint between the sacrum and the hip "
        "bone (the sacroiliac joint), and spread over the buttock.\n\n"
        "The inferior cluneal nerves (dashed purple lines) come up from the back of the "
        "thigh and curve around the lower edge of the buttock.\n\n"
        "The nerves are drawn on one side only. The other side is the same."
    ),
}


def article(apps, model_name, slug):
    return apps.get_model("conditions", model_name).objects.filter(slug=slug).first()


def content_type(apps, model_name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="conditions", model=model_name)[0]


def seed(apps, schema_editor):
    Reference = apps.get_model("conditions", "Reference")
    ArticleImage = apps.get_model("conditions", "ArticleImage")
    for (model_name, slug), sources in SOURCES.items():
        target = article(apps, model_name, slug)
        if target is None:  # a database whose launch articles were removed: nothing to attach
            continue
        kind = content_type(apps, model_name)
        for position, (title, publisher, year, link) in enumerate(sources, start=1):
            Reference.objects.get_or_create(
                content_type=kind,
                object_id=target.pk,
                title=title,
                defaults={"publisher": publisher, "year": year, "link": link, "position": position},
            )
    condition = article(apps, "condition", CONDITION)
    if condition is not None:
        ArticleImage.objects.get_or_create(
            content_type=content_type(apps, "condition"),
            object_id=condition.pk,
            static_file=DIAGRAM["static_file"],
            defaults={k: v for k, v in DIAGRAM.items() if k != "static_file"},
        )


def unseed(apps, schema_editor):
    Reference = apps.get_model("conditions", "Reference")
    ArticleImage = apps.get_model("conditions", "ArticleImage")
    titles = [source[0] for sources in SOURCES.values() for source in sources]
    Reference.objects.filter(title__in=titles).delete()
    ArticleImage.objects.filter(static_file=DIAGRAM["static_file"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0004_editor_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
