"""The clinic's launch articles: one condition, one guide and the four treatments they link to.

A data migration, so every fresh database (development, tests, production) starts with them.
The text carries the facts of the content brief in plain words, at reading grade 8 or lower
(tests/conditions/test_seed_content.py checks every article and section). No reviewer is set:
staff enter the reviewing clinician in the admin.

Historical models do not run Article.save(), so the Markdown is rendered here. render_markdown
is a small pure function; should it ever change, this migration still only needs text in and
HTML out. The section names are frozen below rather than read from the live models.
"""

import datetime
import textwrap
from zoneinfo import ZoneInfo

from django.db import migrations

from conditions.markdown import render_markdown

# Midnight, clinic time, on launch day: in the past for every database this migration builds.
PUBLISH_AT = datetime.datetime(2026, 11, 23, tzinfo=ZoneInfo("America/Indiana/Indianapolis"))

TREATMENT_SECTIONS = ("what_it_is", "on_the_day", "afterwards")
CONDITION_SECTIONS = (
    "overview", "anatomy", "symptoms", "causes", "diagnosis", "treatment_options",
    "when_to_get_help",
)
GUIDE_SECTIONS = (
    "overview", "self_care", "finding_the_cause", "options", "surgery", "when_to_get_help",
)


def md(text):
    """Markdown written indented in this file, without the indent."""
    return textwrap.dedent(text).strip() + "\n"


URGENT_HELP = md(
    """
    Most back pain is not an emergency. But some signs mean you need help right away.

    **Call 911 or go to the emergency department** if you have back pain and any of these:

    - pain, tingling, weakness or numbness in both legs
    - numbness around your genitals or your bottom
    - trouble peeing
    - you cannot control your bladder or bowels
    - chest pain
    - the pain started after a bad fall or an accident

    **Call your doctor the same day** if you have back pain and a fever. Do the same if you
    are losing weight and do not know why.

    If you have had cancer and you get new back pain, see a doctor soon.

    **Call the clinic** if your pain is getting worse or is not getting better.

    Read more about [when to get urgent help](/urgent-help/).
    """
)


TREATMENTS = [
    {
        "slug": "conservative-care",
        "title": "Conservative care",
        "summary": (
            "Care for back and nerve pain with no surgery and no injections. It can mean pain "
            "medicine, physical therapy, chiropractic care or acupuncture. It is often the "
            "first step."
        ),
        "what_it_is": md(
            """
            Conservative care means treatment without surgery or injections. It is often the
            first thing to try for back pain and nerve pain. The aim is to ease your pain and
            help you stay active.

            It can include:

            - **Medicines.** These are pain medicines that are not opioids. Opioids are strong
              painkillers that can be habit-forming. Your doctor will help you pick medicines
              that are safe for you.
            - **Physical therapy.** A physical therapist shows you exercises and stretches. They
              help make your back stronger and help you move with less pain.
            - **Chiropractic care.** A chiropractor uses their hands to move and stretch your
              spine and joints.
            - **Acupuncture.** A trained practitioner puts very thin needles into the skin at
              set points on the body.

            You can use these on their own or together. You can also use them along with other
            treatments, such as injections.
            """
        ),
        "on_the_day": md(
            """
            Conservative care is not a single visit. It is a plan you follow over time.

            1. At the clinic, we ask about your pain and examine you.
            2. We talk with you about which options may help you.
            3. We may refer you to a physical therapist, chiropractor or acupuncturist. This
               means we send you to them, with a note about your pain.
            4. At your first therapy visit, the therapist asks about your pain and checks how
               you move. Then they show you what to do.

            Wear loose, comfortable clothes to therapy visits. Bring a list of the medicines you
            take.
            """
        ),
        "afterwards": md(
            """
            - You may feel a little sore after exercise or hands-on care at first. This is
              common. It should ease as your body gets used to it.
            - Keep doing the exercises you learn. They work best when you do them often.
            - Take medicines only as your doctor or the label tells you.
            - Tell your therapist if an exercise makes your pain much worse.
            - Call the clinic if your pain is getting worse or is not getting better. We can
              talk about other options.
            """
        ),
    },
    {
        "slug": "image-guided-nerve-injections",
        "title": "Image-guided nerve injections",
        "summary": (
            "An injection of numbing medicine next to a nerve that may be causing pain. A "
            "picture helps place the needle. It can ease pain and show where pain comes from."
        ),
        "what_it_is": md(
            """
            A nerve injection puts medicine next to a nerve that may be causing your pain. The
            medicine is a local anesthetic. This is a numbing medicine, like the one a dentist
            uses.

            An injection can do two jobs:

            - **Find the cause.** If your pain goes away after the numbing medicine, that nerve
              is likely the source. This test is called a diagnostic nerve block.
            - **Ease the pain.** The injection may calm the pain for a while.

            "Image-guided" means the doctor uses a picture to place the needle in the right
            spot. The picture can come from:

            - ultrasound, which uses sound waves
            - fluoroscopy, which is a live X-ray picture

            For some nerves, the doctor can also find the spot by feeling for landmarks on your
            body, such as the edge of a bone.
            """
        ),
        "on_the_day": md(
            """
            Before the day, tell us if you take medicine that thins your blood. Also tell us if
            you have allergies or might be pregnant.

            On the day:

            1. We explain what will happen and answer your questions. Then you sign a form to
               say you agree.
            2. You lie on a table, often on your front.
            3. The doctor cleans your skin.
            4. The doctor uses ultrasound or a live X-ray to find the right spot.
            5. A thin needle goes in, and the medicine goes in through it. You may feel a quick
               sting or some pressure.
            6. You rest for a short time before you go home.
            """
        ),
        "afterwards": md(
            """
            - The spot where the needle went in may be sore for a day or two.
            - The area may feel numb for a few hours. Take care when you stand up and walk.
            - Notice how your pain feels in the first few hours. This helps your doctor know if
              that nerve is the cause. They may ask you to write it down.
            - How long the relief lasts is different for each person.

            Call the clinic if you get a fever. Also call if the spot turns red, swollen or warm.
            """
        ),
    },
    {
        "slug": "cryoablation",
        "title": "Cryoablation",
        "summary": (
            "A thin, very cold probe freezes a nerve that carries pain. Then the nerve stops "
            "sending pain signals. It is a newer option for some nerves."
        ),
        "what_it_is": md(
            """
            Cryoablation uses cold to treat pain. A thin probe freezes a nerve that carries
            pain. This stops the nerve from sending pain signals.

            The nerve can slowly grow back over time. So the pain may come back.

            Before this treatment, your doctor needs to know which nerve is causing the pain. A
            numbing injection often helps show this.

            ### What the research says

            Cryoablation is a newer option for some nerves, such as the cluneal nerves in the
            low back. There is little research on it for these nerves so far.

            Some insurance companies call it investigational. This means they see it as still
            being tested. Ask your insurance company if they will pay for it.

            We will talk with you about what is known before you decide.
            """
        ),
        "on_the_day": md(
            """
            Before the day, tell us if you take medicine that thins your blood. Also tell us if
            you have allergies or might be pregnant.

            On the day:

            1. We explain what will happen and answer your questions. Then you sign a form to
               say you agree.
            2. You lie on a table, often on your front.
            3. The doctor cleans your skin and keeps everything sterile (free of germs).
            4. The doctor numbs a small patch of skin with a little numbing medicine.
            5. Using ultrasound or a live X-ray, the doctor guides a thin probe to the nerve.
            6. The tip of the probe gets very cold and freezes the nerve. You may feel cold,
               pressure or a dull ache.
            7. The probe comes out, and a small bandage goes on.
            8. You rest for a short time before you go home.
            """
        ),
        "afterwards": md(
            """
            - The spot may be sore, bruised or a little swollen for a few days.
            - The skin near the spot may feel numb. This is expected, because the nerve carries
              feeling from the skin.
            - How much relief you get, and for how long, is different for each person.
            - If the pain comes back, ask your doctor what you can do next.

            Call the clinic if you get a fever. Also call if the spot turns red, swollen or
            warm, or your pain is getting worse.
            """
        ),
    },
    {
        "slug": "peripheral-nerve-stimulation",
        "title": "Peripheral nerve stimulation",
        "summary": (
            "A small device sends mild electrical pulses to a nerve to ease pain. It may be an "
            "option when other care has not helped enough."
        ),
        "what_it_is": md(
            """
            Peripheral nerve stimulation uses mild electrical pulses to ease pain. Peripheral
            nerves are the nerves outside your brain and spinal cord.

            A small device called a stimulator sends the pulses. It is placed near the nerve
            that causes the pain. For pain from the cluneal nerves, it is placed across the top
            ridge of the hip bone.

            The pulses can change how the nerve sends pain signals. You may feel a mild tingle
            instead of pain.

            Some stimulators are used for a set time and then taken out. Others stay in for
            longer. Your doctor will explain which kind suits you.
            """
        ),
        "on_the_day": md(
            """
            Before the day, tell us if you take medicine that thins your blood. Also tell us if
            you have allergies or might be pregnant.

            On the day:

            1. We explain what will happen and answer your questions. Then you sign a form to
               say you agree.
            2. You lie on a table, often on your front.
            3. The doctor cleans your skin and keeps everything sterile (free of germs).
            4. The doctor numbs the skin with a little numbing medicine.
            5. Using ultrasound or a live X-ray, the doctor places a very thin wire near the
               nerve. The wire is called a lead.
            6. The lead is linked to the small stimulator. We turn it on and adjust it with you.
               You tell us what you feel.
            7. We show you how to use the device and care for the skin around it.
            """
        ),
        "afterwards": md(
            """
            - The spot may be sore for a few days.
            - Keep the area clean and dry. Follow what we tell you about bathing and movement.
            - Use the device as we showed you.
            - Before any MRI scan, tell the staff you have a stimulator.

            Call the clinic if you get a fever. Also call if the spot turns red, swollen or
            warm. Call too if the device stops working or your pain is getting worse.
            """
        ),
    },
]


CONDITION = {
    "slug": "cluneal-nerve-entrapment",
    "title": "Cluneal nerve entrapment",
    "summary": (
        "A small nerve in the low back gets trapped or irritated near the top of the hip bone. "
        "It causes pain in the low back and upper buttock. Learn how it is found and treated."
    ),
    "anatomy_label": "Cluneal nerves (superior, middle and inferior)",
    "symptom_labels": "\n".join(
        [
            "Low back pain",
            "Upper buttock pain",
            "Pain spreading down the back of the leg",
            "Pain when sitting for a long time",
            "Tender spot over the iliac crest",
            "Tingling when the tender spot is tapped",
        ]
    ),
    "test_labels": "\n".join(
        [
            "Physical examination",
            "Diagnostic nerve block (local anesthetic injection)",
            "Ultrasound",
            "X-ray",
            "MRI",
            "CT scan",
        ]
    ),
    "overview": md(
        """
        The cluneal nerves are small nerves in your low back and buttocks. Cluneal nerve
        entrapment is when one of these nerves gets trapped or irritated. This happens where the
        nerve passes through tight tissue near the back of your pelvis. The pelvis is the ring of
        bones at the base of your spine.

        It causes pain in the low back and the upper part of the buttock. Sometimes the pain also
        goes down the leg.

        It is a bit like carpal tunnel syndrome. In carpal tunnel syndrome, a nerve in the wrist
        (the median nerve) is squeezed. Here, a nerve is squeezed near the hip bone.

        This condition is often missed. Because of this, many people try several treatments that
        do not help before the real cause is found.

        Studies have found it in about 2 to 14 of every 100 people with low back pain (Isu 2018;
        Kuniya 2014). The higher number comes from a study that checked people for its signs
        during an exam.
        """
    ),
    "anatomy": md(
        """
        The cluneal nerves are also called the gluteal cutaneous nerves. They are small nerves.
        They carry feeling from the skin of your buttocks.

        There are three groups of them on each side of your body.

        ### Superior (upper) cluneal nerves

        - They start in your lower back. Most come from the nerve roots called L1 to L3. Nerve
          roots are where nerves leave the spine. This can vary from person to person.
        - They cross over the top ridge of your hip bone. This ridge is called the iliac crest.
        - They cross it about 7 to 8 cm (about 3 inches) from the middle of your back.
        - There they pass through a tight tunnel. It lies between the bone and a tough sheet of
          tissue called the thoracolumbar fascia.
        - This tunnel is the usual place where the nerve gets trapped.

        ### Middle cluneal nerves

        - They start from the sacrum. This is the flat bone at the base of your spine. They come
          from the nerve roots S1 to S3.
        - They pass under a band of tough tissue called a ligament. This one is the long
          posterior sacroiliac ligament. It lies near the sacroiliac joint, where the sacrum meets
          the hip bone.

        ### Inferior (lower) cluneal nerves

        - They branch off a nerve in the back of your thigh. This nerve is called the posterior
          femoral cutaneous nerve.
        - They curve around the lower edge of your big buttock muscle.

        ### They carry feeling, not movement

        These nerves carry feeling only. They do not make muscles move. So when one is trapped,
        you may feel pain, tingling or numbness. But your muscles do not get weak from it.
        """
    ),
    "symptoms": md(
        """
        The main symptom is pain in the low back and the upper part of the buttock. You may
        have:

        - pain on one side, or on both sides
        - pain that spreads down the back of your leg, sometimes below the knee
        - pain that gets worse when you are active, such as when you bend, twist or lean back
        - pain that gets worse when you walk or stand for a long time
        - pain that gets better when you rest
        - pain when you sit for a long time
        - a spot on the back of your hip bone that is sore when pressed
        - tingling when someone taps on that sore spot

        The pain can go down the leg, so it can be mistaken for sciatica. Sciatica is pain from a
        pinched nerve root in the spine that runs down the leg.
        """
    ),
    "causes": md(
        """
        The pain comes from a cluneal nerve that is squeezed or rubbed. This happens where the
        nerve passes through tight tissue.

        - The upper nerves most often get trapped in the tunnel where they cross the top of the
          hip bone.
        - The middle nerves can get trapped under the ligament near the joint at the base of the
          spine.

        Bending, twisting and moving can press on or pull the trapped nerve. This may be why the
        pain often gets worse when you are active and eases when you rest.
        """
    ),
    "diagnosis": md(
        """
        No single test shows this condition. Your doctor puts together what they learn from a
        few steps.

        ### Questions and a physical exam

        Your doctor will ask about your pain and check your back. They will:

        - ask if you have had pain in your low back and upper buttock
        - ask if it hurts to sit for a long time
        - press on spots on your low back and buttocks to find tender points, called trigger
          points
        - press over the top ridge of your hip bone, the iliac crest

        If pressing there brings on your usual pain, a trapped cluneal nerve may be the cause.

        ### A numbing injection

        Your doctor may inject a small amount of numbing medicine at the sore spot. This
        medicine is called a local anesthetic. If your pain eases after the injection, it
        supports the diagnosis.

        ### Imaging tests

        - **Ultrasound** uses sound waves to make a picture. It can show the nerve. It can also
          help guide a needle to the right place.
        - **X-ray, MRI and CT scans** take pictures inside your body. They cannot show this
          condition itself. But they can rule out other causes of low back and leg pain.
        """
    ),
    "treatment_options": md(
        """
        Treatment often starts with the simplest options. There are four main types. Your doctor
        will talk with you about which ones suit you.

        ### Care without surgery or injections

        - medicines that are not opioids (strong painkillers that can be habit-forming)
        - physical therapy
        - chiropractic care
        - acupuncture

        Read more about [conservative care](/treatments/conservative-care/).

        ### Nerve injections

        The doctor injects numbing medicine over the top ridge of the hip bone. To place the
        needle in the right spot, the doctor may use:

        - landmarks they can feel on your body
        - ultrasound
        - fluoroscopy, which is a live X-ray picture

        Read more about [nerve injections](/treatments/image-guided-nerve-injections/).

        ### Freezing the nerve (cryoablation)

        A thin probe freezes the nerve so it stops sending pain signals. First, the skin is
        numbed with a little numbing medicine. The doctor keeps everything sterile (free of
        germs). The doctor uses the same ways to guide the probe as for injections.

        Read more about [cryoablation](/treatments/cryoablation/).

        ### Peripheral nerve stimulation

        A small device called a stimulator is placed across the top ridge of the hip bone. It
        sends mild electrical pulses that ease pain.

        Read more about [nerve stimulation](/treatments/peripheral-nerve-stimulation/).

        ### Other options in studies

        Studies also describe two more options:

        - radiofrequency ablation, which uses heat to stop a nerve from sending pain signals
        - surgery to free the trapped nerve, for pain that nothing else helps

        ### What the research says

        Most of the research on these procedures comes from small studies.

        Cryoablation for this nerve is a newer option. There is little research on it so far.
        Some insurance companies call it investigational. This means they see it as still being
        tested.

        We will talk this through with you, so you can choose what is right for you.
        """
    ),
    "when_to_get_help": URGENT_HELP,
}


GUIDE = {
    "slug": "treating-back-and-neck-pain-without-surgery",
    "title": "Treating back and neck pain without surgery",
    "summary": (
        "Most back and neck pain gets better with time, self-care and staying active. When it "
        "does not, there are many treatments without surgery. This guide explains them."
    ),
    "overview": md(
        """
        Back pain and neck pain are very common. Most back pain gets better within a few weeks.
        But it often comes back.

        When pain does not get better, there are many treatments that do not need surgery.

        This guide explains:

        - what you can do yourself
        - how a pain clinic finds the cause of your pain
        - treatments without surgery
        - when surgery may be an option
        - when to get help fast
        """
    ),
    "self_care": md(
        """
        You can often ease back and neck pain at home. These steps can help:

        - **Keep moving.** Stay as active as you can. A gentle walk is a good start. Go back to
          your normal tasks bit by bit.
        - **Do not stay in bed for long.** Lots of bed rest can slow your recovery.
        - **Try heat or cold.** A heat pack or a cold pack may ease pain for a while.
        - **Ask about pain medicine.** A pharmacist or doctor can tell you which one is safe for
          you.
        - **Look after your sleep and mood.** Worry and poor sleep can make pain feel worse.

        Talk to a doctor if your pain is not better after a few weeks. Do the same if it stops
        you from doing daily tasks.
        """
    ),
    "finding_the_cause": md(
        """
        Pain can come from a joint, a disc, a muscle or a nerve. The best treatment depends on
        where it comes from. So a pain clinic tries to find the source first.

        Finding the cause may include:

        1. **Talking with you.** Where is the pain? What makes it better or worse? How long have
           you had it?
        2. **A physical exam.** The doctor checks how you move and where it is sore. They also
           test your strength, feeling and reflexes.
        3. **Imaging tests, if needed.** X-rays, MRI and CT scans take pictures inside your
           body. Ultrasound uses sound waves. Scans can rule out other problems. But they do not
           always show the cause of pain.
        4. **A test injection.** The doctor puts numbing medicine near a nerve or joint. If your
           pain goes away for a short time, that spot is likely the source. This is called a
           diagnostic block.
        """
    ),
    "options": md(
        """
        If self-care is not enough, there are many treatments without surgery. Your doctor will
        help you choose. Often more than one is used at the same time.

        ### Physical therapy and exercise

        A physical therapist teaches you exercises. They make your back and neck stronger and
        help you move more easily.

        ### Medicines

        Some pain medicines can help for a short time. Your doctor will choose ones that are
        safe for you.

        ### Injections

        - **Nerve blocks** put numbing medicine near a nerve that carries pain.
        - **Epidural injections** put medicine into the space around the nerves in your spine.
          They may help pain that spreads down an arm or a leg.
        - **Joint injections** put medicine into or near a joint of the spine or pelvis.

        Read more about [nerve injections](/treatments/image-guided-nerve-injections/).

        ### Treating the nerves that carry pain

        - **Cryoablation** freezes a nerve with a thin probe.
        - **Radiofrequency ablation** uses heat instead of cold.

        Both stop a nerve from sending pain signals for a time. Read more about
        [cryoablation](/treatments/cryoablation/).

        ### Nerve stimulation

        A small device sends mild electrical pulses to a nerve. This can ease pain. Read more
        about [nerve stimulation](/treatments/peripheral-nerve-stimulation/).

        ### Other care

        Chiropractic care and acupuncture are other options. Read more about
        [conservative care](/treatments/conservative-care/).
        """
    ),
    "surgery": md(
        """
        Surgery is not often the first choice for back or neck pain. It may be an option if:

        - there are signs of nerve damage, such as an arm or leg that is getting weaker
        - other care has been tried and has not helped

        Surgery is a choice you make with a surgeon. The surgeon will explain what the operation
        involves. They will talk about the likely benefits, the risks and the recovery.

        If you think surgery might help you, ask us about seeing a surgeon.
        """
    ),
    "when_to_get_help": URGENT_HELP,
}


def with_html(fields, sections):
    """`fields` plus the rendered `<section>_html` for each section (Article.save() does this
    for live models; historical models have no such save())."""
    return {
        **fields,
        **{f"{name}_html": render_markdown(fields.get(name, "")) for name in sections},
    }


def article_defaults(data, sections):
    fields = {key: value for key, value in data.items() if key != "slug"}
    fields.update(status="published", publish_at=PUBLISH_AT)
    return with_html(fields, sections)


def seed_articles(apps, schema_editor):
    Condition = apps.get_model("conditions", "Condition")
    Guide = apps.get_model("conditions", "Guide")
    Treatment = apps.get_model("conditions", "Treatment")

    treatments = [
        Treatment.objects.update_or_create(
            slug=data["slug"], defaults=article_defaults(data, TREATMENT_SECTIONS)
        )[0]
        for data in TREATMENTS
    ]
    condition, _created = Condition.objects.update_or_create(
        slug=CONDITION["slug"], defaults=article_defaults(CONDITION, CONDITION_SECTIONS)
    )
    condition.treatments.set(treatments)

    guide, _created = Guide.objects.update_or_create(
        slug=GUIDE["slug"], defaults=article_defaults(GUIDE, GUIDE_SECTIONS)
    )
    guide.treatments.set(treatments)
    guide.related_conditions.set([condition])


class Migration(migrations.Migration):
    dependencies = [("conditions", "0001_initial")]

    # Unapplying leaves the articles in place: by then editors may have changed them, and
    # their work is worth more than a clean rollback.
    operations = [migrations.RunPython(seed_articles, migrations.RunPython.noop)]
