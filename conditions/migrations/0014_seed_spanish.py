"""The Spanish launch content: the cluneal nerve article, the guide, the four treatments and the
urgent advice, each its own row in Spanish, linked to its English original.

Written for patients who read Spanish first, many with little schooling: "usted", short
sentences, everyday words, each medical term with its plain meaning beside it. Not a rendering
of the English sentence by sentence; the medical facts are the content brief's, as in English,
nothing added and nothing left out. Every text reads at Fernández-Huerta 70 ("bastante fácil")
or easier (tests/conditions/test_seed_spanish.py scores each one).

As for the English launch articles: no reviewer is set (nobody has reviewed the Spanish yet;
staff enter the reviewing clinician in the admin), the Markdown is rendered here because
historical models do not run Article.save(), and each row gets a first history entry. The
Spanish rows are published now and marked in line with their English versions now. Sources are
the English article's, as published (English titles). The cluneal nerve diagram is not
attached: its labels are drawn in English, and a Spanish page needs a drawing labelled in
Spanish.

A row is skipped when its English original is missing (a database whose launch articles were
removed) or when a Spanish row already has its address (staff work is left alone).
Unapplying deletes the Spanish rows this migration made, with their sources and history.
"""

import textwrap

from django.db import migrations
from django.utils import timezone

from conditions.markdown import render_markdown
from conditions.readability import reading_ease

REASON = "Spanish launch content, from the data migration"

# Frozen here, like the English seed: the section fields as they are at this migration.
SECTIONS = {
    "Condition": ("overview", "anatomy", "symptoms", "causes", "diagnosis",
                  "treatment_options", "when_to_get_help"),
    "Treatment": ("what_it_is", "on_the_day", "afterwards"),
    "Guide": ("overview", "self_care", "finding_the_cause", "options", "surgery",
              "when_to_get_help"),
    "UrgentAdvice": ("emergency", "same_day", "clinic"),
}

# The Spanish pages' addresses the text links to: /es/ and the translated path words of the
# site's URL patterns (conditions/urls.py, clinic_site/pages/urls.py and the Spanish catalogue).
# Kept in one place so a change of wording is one edit here.
URGENT_PAGE = "/es/ayuda-urgente/"


def treatment_page(slug):
    return f"/es/tratamientos/{slug}/"


def md(text):
    """Markdown written indented in this file, without the indent."""
    return textwrap.dedent(text).strip() + "\n"


# Conditions and guides point to the urgent advice (shown whole in the box below them) rather
# than repeat it, as the English ones do since 0009.
POINTER = md(
    f"""
    Algunas señales quieren decir que necesita ayuda rápido. Por ejemplo, si una parte del
    cuerpo se le duerme o pierde fuerza, y eso es nuevo. Vea el recuadro de abajo. O lea
    nuestra página sobre [cuándo buscar ayuda urgente]({URGENT_PAGE}).
    """
)

# Each Spanish row by the English slug of its original.
TREATMENTS = {
    "conservative-care": {
        "slug": "tratamiento-conservador",
        "title": "Tratamiento conservador",
        "summary": (
            "Es cuidado sin cirugía y sin inyecciones para el dolor de espalda y de nervios. "
            "Puede ser medicinas para el dolor, terapia física, quiropráctica o acupuntura. "
            "Muchas veces es el primer paso."
        ),
        "what_it_is": md(
            """
            El tratamiento conservador es un tratamiento sin cirugía y sin inyecciones. Muchas
            veces es lo primero que se prueba para el dolor de espalda y de nervios. La meta es
            calmar su dolor y ayudarle a seguir activo.

            Puede incluir:

            - **Medicinas.** Son medicinas para el dolor que no son opioides. Los opioides son
              medicinas muy fuertes para el dolor que pueden crear dependencia. Su médico le
              ayudará a elegir medicinas que sean seguras para usted.
            - **Terapia física.** Un terapeuta físico le enseña ejercicios y estiramientos.
              Estos le dan más fuerza a su espalda. También le ayudan a moverse con menos
              dolor.
            - **Quiropráctica.** Un quiropráctico usa las manos para mover y estirar su columna
              y sus articulaciones (las partes donde se unen los huesos).
            - **Acupuntura.** Una persona preparada para esto pone agujas muy finas en la piel,
              en ciertos puntos del cuerpo.

            Puede usar estos tratamientos solos o juntos. También puede usarlos junto con otros
            tratamientos, como las inyecciones.
            """
        ),
        "on_the_day": md(
            """
            El tratamiento conservador no es una sola visita. Es un plan que usted sigue con el
            tiempo.

            1. En la clínica, le preguntamos sobre su dolor y le hacemos un examen.
            2. Hablamos con usted sobre qué opciones le pueden ayudar.
            3. Tal vez le refiramos a un terapeuta físico, a un quiropráctico o a un
               acupunturista. Esto quiere decir que le mandamos con ellos, con una nota sobre
               su dolor.
            4. En su primera visita de terapia, el terapeuta le pregunta sobre su dolor y ve
               cómo se mueve. Luego le enseña qué hacer.

            Use ropa suelta y cómoda para ir a terapia. Lleve una lista de las medicinas que
            toma.
            """
        ),
        "afterwards": md(
            """
            - Al principio, puede sentir un poco de dolor después del ejercicio o del
              tratamiento con las manos. Esto es común. Debe mejorar a medida que su cuerpo se
              acostumbra.
            - Siga haciendo los ejercicios que aprende. Dan mejor resultado si los hace
              seguido.
            - Tome las medicinas solo como le diga su médico o la etiqueta.
            - Avise a su terapeuta si un ejercicio le da mucho más dolor.
            - Llame a la clínica si su dolor empeora o no mejora. Podemos hablar de otras
              opciones.
            """
        ),
    },
    "image-guided-nerve-injections": {
        "slug": "inyecciones-guiadas-por-imagen",
        "title": "Inyecciones en los nervios guiadas por imagen",
        "summary": (
            "Una inyección de medicina para adormecer junto a un nervio que puede causar dolor. "
            "Una imagen ayuda a poner la aguja. Puede calmar el dolor y mostrar de dónde viene."
        ),
        "what_it_is": md(
            """
            Una inyección en un nervio pone medicina junto a un nervio que puede estar causando
            su dolor. La medicina es una anestesia local. Es una medicina para adormecer, como
            la que usa el dentista.

            Una inyección puede servir para dos cosas:

            - **Encontrar la causa.** Si su dolor se va con la medicina para adormecer, es
              probable que ese nervio sea la causa. Esta prueba se llama bloqueo nervioso de
              diagnóstico.
            - **Calmar el dolor.** La inyección puede calmar el dolor por un tiempo.

            "Guiada por imagen" quiere decir que el médico usa una imagen para poner la aguja
            en el lugar justo. La imagen puede venir de:

            - una ecografía (ultrasonido), que usa ondas de sonido
            - una fluoroscopia, que es una imagen de rayos X en vivo

            Para algunos nervios, el médico también puede hallar el lugar al tocar puntos de su
            cuerpo que sirven de guía, como el borde de un hueso.
            """
        ),
        "on_the_day": md(
            """
            Antes de su cita, díganos si toma medicinas para diluir la sangre. Díganos también
            si tiene alergias o si podría estar embarazada.

            El día de la cita:

            1. Le explicamos lo que va a pasar y respondemos sus preguntas. Luego usted firma
               un papel para decir que está de acuerdo.
            2. Usted se acuesta en una camilla, muchas veces boca abajo.
            3. El médico limpia su piel.
            4. El médico usa una ecografía o rayos X en vivo para hallar el lugar justo.
            5. Una aguja fina entra en la piel, y la medicina pasa por ella. Puede sentir un
               pinchazo rápido o algo de presión.
            6. Descansa un rato antes de irse a su casa.
            """
        ),
        "afterwards": md(
            """
            - El lugar donde entró la aguja puede doler por uno o dos días.
            - La zona puede sentirse dormida por unas horas. Tenga cuidado al ponerse de pie y
              al caminar.
            - Fíjese en cómo siente el dolor en las primeras horas. Esto ayuda a su médico a
              saber si ese nervio es la causa. Puede que le pida que lo anote.
            - El tiempo que dura el alivio es distinto en cada persona.

            Llame a la clínica si le da fiebre. Llame también si el lugar se pone rojo,
            hinchado o caliente.
            """
        ),
    },
    "cryoablation": {
        "slug": "crioablacion",
        "title": "Crioablación",
        "summary": (
            "Una sonda fina y muy fría congela un nervio que lleva el dolor. Así, el nervio deja "
            "de mandar señales de dolor. Es una opción más nueva para algunos nervios."
        ),
        "what_it_is": md(
            """
            La crioablación (también llamada crioneurólisis) usa el frío para tratar el dolor.
            Una sonda (un instrumento fino) congela un nervio que lleva el dolor. Así, el
            nervio deja de mandar señales de dolor.

            Con el tiempo, el nervio puede volver a crecer poco a poco. Por eso, el dolor puede
            volver.

            Antes de este tratamiento, su médico necesita saber qué nervio le causa el dolor.
            Muchas veces, una inyección para adormecer ayuda a saberlo.

            ### Lo que dicen los estudios

            La crioablación es una opción más nueva para algunos nervios. Por ejemplo, para los
            nervios cluneales de la parte baja de la espalda. Hasta ahora, hay pocos estudios
            sobre su uso en estos nervios.

            Algunas compañías de seguro médico dicen que está "en investigación". Esto quiere
            decir que para ellas todavía se está probando. Pregunte a su seguro si lo va a
            pagar.

            Vamos a hablar con usted de lo que se sabe antes de que usted decida.
            """
        ),
        "on_the_day": md(
            """
            Antes de su cita, díganos si toma medicinas para diluir la sangre. Díganos también
            si tiene alergias o si podría estar embarazada.

            El día de la cita:

            1. Le explicamos lo que va a pasar y respondemos sus preguntas. Luego usted firma
               un papel para decir que está de acuerdo.
            2. Usted se acuesta en una camilla, muchas veces boca abajo.
            3. El médico limpia su piel y mantiene todo estéril (sin gérmenes).
            4. El médico le pone un poco de medicina para adormecer una parte pequeña de la
               piel.
            5. Con ayuda de una ecografía o de rayos X en vivo, el médico guía una sonda fina
               hasta el nervio.
            6. La punta de la sonda se pone muy fría y congela el nervio. Puede sentir frío,
               presión o un dolor sordo (no agudo).
            7. El médico saca la sonda y le pone un vendaje pequeño.
            8. Descansa un rato antes de irse a su casa.
            """
        ),
        "afterwards": md(
            """
            - El lugar puede doler, tener un moretón o estar un poco hinchado por unos días.
            - La piel cerca del lugar puede sentirse dormida. Esto es de esperar, porque el
              nervio lleva lo que siente la piel.
            - Cuánto alivio siente, y por cuánto tiempo, es distinto en cada persona.
            - Si el dolor vuelve, pregunte a su médico qué puede hacer después.

            Llame a la clínica si le da fiebre. Llame también si el lugar se pone rojo,
            hinchado o caliente, o si su dolor empeora.
            """
        ),
    },
    "peripheral-nerve-stimulation": {
        "slug": "estimulacion-de-nervios-perifericos",
        "title": "Estimulación de nervios periféricos",
        "summary": (
            "Un aparato pequeño manda pulsos eléctricos suaves a un nervio para calmar el "
            "dolor. Puede ser una opción si otros cuidados no le han ayudado lo bastante."
        ),
        "what_it_is": md(
            """
            La estimulación de nervios periféricos usa pulsos eléctricos suaves para calmar el
            dolor. Los nervios periféricos son los nervios que están fuera del cerebro y de la
            médula espinal.

            Un aparato pequeño, llamado estimulador, manda los pulsos. Se pone cerca del nervio
            que causa el dolor. Para el dolor de los nervios cluneales, se pone cruzando el
            borde de arriba del hueso de la cadera.

            Los pulsos pueden cambiar la forma en que el nervio manda las señales de dolor. Es
            posible que sienta un hormigueo suave en lugar de dolor.

            Algunos estimuladores se usan por un tiempo fijo y luego se quitan. Otros se quedan
            por más tiempo. Su médico le dirá qué tipo le conviene.
            """
        ),
        "on_the_day": md(
            """
            Antes de su cita, díganos si toma medicinas para diluir la sangre. Díganos también
            si tiene alergias o si podría estar embarazada.

            El día de la cita:

            1. Le explicamos lo que va a pasar y respondemos sus preguntas. Luego usted firma
               un papel para decir que está de acuerdo.
            2. Usted se acuesta en una camilla, muchas veces boca abajo.
            3. El médico limpia su piel y mantiene todo estéril (sin gérmenes).
            4. El médico le pone un poco de medicina para adormecer la piel.
            5. Con ayuda de una ecografía o de rayos X en vivo, el médico pone un cable muy
               fino cerca del nervio. Este cable se llama electrodo.
            6. El electrodo se une al estimulador pequeño. Lo encendemos y lo ajustamos con
               usted. Usted nos dice lo que siente.
            7. Le enseñamos a usar el aparato y a cuidar la piel de alrededor.
            """
        ),
        "afterwards": md(
            """
            - El lugar puede doler por unos días.
            - Mantenga la zona limpia y seca. Siga lo que le digamos sobre bañarse y moverse.
            - Use el aparato como le enseñamos.
            - Antes de cualquier resonancia magnética, avise al personal que tiene un
              estimulador.

            Llame a la clínica si le da fiebre. Llame también si el lugar se pone rojo,
            hinchado o caliente. Y llame si el aparato deja de funcionar o si su dolor
            empeora.
            """
        ),
    },
}


CONDITIONS = {
    "cluneal-nerve-entrapment": {
        "slug": "atrapamiento-del-nervio-cluneal",
        "title": "Atrapamiento del nervio cluneal",
        "summary": (
            "Un nervio pequeño queda atrapado o irritado cerca del borde del hueso de la "
            "cadera. Causa dolor en la parte baja de la espalda y arriba en la nalga. Sepa cómo "
            "se encuentra y se trata."
        ),
        "anatomy_label": "Nervios cluneales (superiores, medios e inferiores)",
        "symptom_labels": "\n".join(
            [
                "Dolor en la parte baja de la espalda",
                "Dolor en la parte alta de la nalga",
                "Dolor que baja por la parte de atrás de la pierna",
                "Dolor al estar sentado mucho tiempo",
                "Punto que duele al apretar sobre la cresta ilíaca",
                "Hormigueo al dar golpecitos en el punto que duele",
            ]
        ),
        "test_labels": "\n".join(
            [
                "Examen físico",
                "Bloqueo nervioso de diagnóstico (inyección de anestesia local)",
                "Ecografía (ultrasonido)",
                "Rayos X",
                "Resonancia magnética",
                "Tomografía computarizada",
            ]
        ),
        "overview": md(
            """
            Los nervios cluneales son nervios pequeños. Están en la parte baja de la espalda y
            en las nalgas.

            El atrapamiento del nervio cluneal pasa cuando uno de estos nervios queda atrapado o
            irritado. Esto ocurre donde el nervio pasa por un tejido apretado, cerca de la parte
            de atrás de la pelvis. La pelvis es el anillo de huesos que está en la base de la
            columna.

            Causa dolor en la parte baja de la espalda y en la parte alta de la nalga. A veces,
            el dolor también baja por la pierna.

            Se parece un poco al síndrome del túnel carpiano. En ese caso, un nervio de la
            muñeca (el nervio mediano) queda apretado. Aquí, el nervio queda apretado cerca del
            hueso de la cadera.

            Muchas veces, este problema no se descubre. Por eso, muchas personas prueban varios
            tratamientos que no les ayudan antes de saber la causa real.

            Los estudios lo han hallado en unas 2 a 14 de cada 100 personas con dolor en la
            parte baja de la espalda (Isu 2018; Kuniya 2014). El número más alto viene de un
            estudio. En ese estudio, se examinó a cada persona para buscar sus señales.
            """
        ),
        "anatomy": md(
            """
            Los nervios cluneales también se llaman nervios clúneos o nervios cutáneos
            glúteos. Son nervios pequeños. Llevan lo que siente la piel de las nalgas.

            Hay tres grupos de estos nervios a cada lado del cuerpo.

            ### Nervios cluneales superiores (de arriba)

            - Empiezan en la parte baja de la espalda. La mayoría sale de las raíces nerviosas
              L1 a L3. Las raíces nerviosas son el lugar donde los nervios salen de la columna.
              Esto puede cambiar de una persona a otra.
            - Pasan por encima del borde de arriba del hueso de la cadera. Este borde se llama
              cresta ilíaca.
            - Lo cruzan a unos 7 a 8 cm (unas 3 pulgadas) del centro de la espalda.
            - Allí pasan por un túnel estrecho. Está entre el hueso y una capa dura de tejido
              llamada fascia toracolumbar.
            - En este túnel es donde el nervio suele quedar atrapado.

            ### Nervios cluneales medios (del medio)

            - Salen del sacro. El sacro es el hueso plano de la base de la columna. Vienen de
              las raíces nerviosas S1 a S3.
            - Pasan por debajo de una banda de tejido duro, llamada ligamento. Su nombre es
              ligamento sacroilíaco posterior largo. Está cerca de la articulación sacroilíaca,
              que es donde el sacro se une con el hueso de la cadera.

            ### Nervios cluneales inferiores (de abajo)

            - Salen de un nervio de la parte de atrás del muslo. Ese nervio se llama nervio
              cutáneo femoral posterior.
            - Dan la vuelta por el borde de abajo del músculo grande de la nalga.

            ### Sirven para sentir, no para moverse

            Estos nervios solo sirven para sentir. No mueven los músculos. Por eso, si uno
            queda atrapado, puede sentir dolor, hormigueo o adormecimiento. Pero sus músculos
            no pierden fuerza por eso.
            """
        ),
        "symptoms": md(
            """
            El síntoma principal es dolor en la parte baja de la espalda y en la parte alta de
            la nalga. Puede tener:

            - dolor de un lado, o de los dos lados
            - dolor que baja por la parte de atrás de la pierna, a veces hasta más abajo de la
              rodilla
            - dolor que empeora cuando está activo, por ejemplo al agacharse, girar el cuerpo o
              echarse hacia atrás
            - dolor que empeora al caminar o al estar de pie mucho tiempo
            - dolor que mejora cuando descansa
            - dolor al estar sentado mucho tiempo
            - un punto en la parte de atrás del hueso de la cadera que duele al apretarlo
            - hormigueo cuando alguien da golpecitos en ese punto

            El dolor puede bajar por la pierna. Por eso, se puede confundir con la ciática. La
            ciática es un dolor que baja por la pierna. Pasa cuando se aprieta la raíz de un
            nervio en la columna.
            """
        ),
        "causes": md(
            """
            El dolor viene de un nervio cluneal que está apretado o rozado. Esto pasa donde el
            nervio cruza un tejido apretado.

            - Los nervios de arriba suelen quedar atrapados en el túnel donde cruzan el borde
              del hueso de la cadera.
            - Los nervios del medio pueden quedar atrapados debajo del ligamento que está cerca
              de la articulación de la base de la columna.

            Al agacharse, girar el cuerpo o moverse, el nervio atrapado puede quedar más
            apretado o estirado. Tal vez por eso el dolor suele empeorar cuando está activo y
            calmarse cuando descansa.
            """
        ),
        "diagnosis": md(
            """
            No hay una sola prueba que muestre este problema. Su médico junta lo que aprende en
            unos pocos pasos.

            ### Preguntas y un examen físico

            Su médico le hará preguntas sobre su dolor y le revisará la espalda. El médico va a:

            - preguntarle si ha tenido dolor en la parte baja de la espalda y en la parte alta
              de la nalga
            - preguntarle si le duele estar sentado mucho tiempo
            - apretar en la parte baja de la espalda y en las nalgas, para buscar los puntos que
              duelen, llamados puntos gatillo
            - apretar sobre el borde de arriba del hueso de la cadera, la cresta ilíaca

            Si al apretar allí siente su dolor de siempre, la causa puede ser un nervio
            cluneal atrapado.

            ### Una inyección para adormecer

            Su médico puede inyectar un poco de medicina para adormecer en el punto que duele.
            Esta medicina se llama anestesia local. Si su dolor se calma con la inyección, es
            más probable que este sea el problema.

            ### Pruebas de imagen

            - La **ecografía (ultrasonido)** usa ondas de sonido para hacer una imagen. Puede
              mostrar el nervio. También puede ayudar a guiar una aguja al lugar justo.
            - Los **rayos X, la resonancia magnética y la tomografía computarizada** toman
              imágenes de adentro del cuerpo. No pueden mostrar este problema. Pero sirven para
              descartar otras causas del dolor de espalda y de pierna. Es decir, ayudan a ver
              si el dolor viene de otra cosa.
            """
        ),
        "treatment_options": md(
            f"""
            El tratamiento suele empezar por lo más sencillo. Hay cuatro tipos principales. Su
            médico hablará con usted sobre cuáles le convienen.

            ### Cuidado sin cirugía ni inyecciones

            - medicinas que no son opioides (los opioides son medicinas muy fuertes para el
              dolor que pueden crear dependencia)
            - terapia física
            - quiropráctica
            - acupuntura

            Lea más sobre el
            [tratamiento conservador]({treatment_page("tratamiento-conservador")}).

            ### Inyecciones en los nervios

            El médico inyecta medicina para adormecer sobre el borde de arriba del hueso de la
            cadera. Para poner la aguja en el lugar justo, el médico puede usar:

            - puntos de su cuerpo que el médico puede sentir con los dedos
            - una ecografía (ultrasonido)
            - una fluoroscopia (rayos X en vivo)

            Lea más sobre las
            [inyecciones en los nervios]({treatment_page("inyecciones-guiadas-por-imagen")}).

            ### Congelar el nervio (crioablación)

            Una sonda fina congela el nervio para que deje de mandar señales de dolor. Primero,
            el médico le pone un poco de medicina para adormecer la piel. El médico mantiene
            todo estéril (sin gérmenes). Para guiar la sonda, usa las mismas formas que en las
            inyecciones.

            Lea más sobre la [crioablación]({treatment_page("crioablacion")}).

            ### Estimulación de nervios periféricos

            Se pone un aparato pequeño, llamado estimulador, cruzando el borde de arriba del
            hueso de la cadera. Manda pulsos eléctricos suaves que calman el dolor.

            Lea más sobre la
            [estimulación de nervios]({treatment_page("estimulacion-de-nervios-perifericos")}).

            ### Otras opciones en los estudios

            Los estudios también hablan de otras dos opciones:

            - la ablación por radiofrecuencia, que usa calor para que un nervio deje de mandar
              señales de dolor
            - una cirugía para liberar el nervio atrapado, cuando nada más le ha calmado el
              dolor

            ### Lo que dicen los estudios

            Casi todo lo que se sabe de estos tratamientos viene de estudios pequeños.

            La crioablación para este nervio es una opción más nueva. Todavía hay pocos
            estudios sobre ella. Algunas compañías de seguro médico dicen que está "en
            investigación". Esto quiere decir que para ellas todavía se está probando.

            Vamos a hablar de todo esto con usted, para que pueda elegir lo que más le
            conviene.
            """
        ),
        "when_to_get_help": POINTER,
    },
}


GUIDES = {
    "treating-back-and-neck-pain-without-surgery": {
        "slug": "dolor-de-espalda-y-cuello-sin-cirugia",
        "title": "Cómo tratar el dolor de espalda y de cuello sin cirugía",
        "summary": (
            "Casi todo dolor de espalda y de cuello mejora con el tiempo, con cuidados en casa "
            "y al mantenerse activo. Si no mejora, hay muchos tratamientos sin cirugía. Esta "
            "guía se los explica."
        ),
        "overview": md(
            """
            El dolor de espalda y el dolor de cuello son muy comunes. Casi todo dolor de
            espalda mejora en unas pocas semanas. Pero muchas veces vuelve.

            Si el dolor no mejora, hay muchos tratamientos que no necesitan cirugía.

            Esta guía le explica:

            - lo que puede hacer usted mismo
            - cómo una clínica del dolor busca la causa de su dolor
            - los tratamientos sin cirugía
            - cuándo una cirugía puede ser una opción
            - cuándo buscar ayuda rápido
            """
        ),
        "self_care": md(
            """
            Muchas veces puede calmar el dolor de espalda y de cuello en casa. Estos pasos
            pueden ayudar:

            - **Siga moviéndose.** Manténgase tan activo como pueda. Caminar despacio es un
              buen comienzo. Vuelva a sus tareas de siempre poco a poco.
            - **No se quede mucho tiempo en cama.** Estar mucho en cama puede hacer que tarde
              más en mejorar.
            - **Pruebe el calor o el frío.** Una bolsa caliente o una bolsa fría puede calmar el
              dolor un rato.
            - **Pregunte por medicinas para el dolor.** Pregunte en la farmacia o a su médico
              cuál es segura para usted.
            - **Cuide su sueño y su ánimo.** Las preocupaciones y dormir mal pueden hacer que
              el dolor se sienta peor.

            Hable con un médico si su dolor no mejora después de unas semanas. Hágalo también
            si el dolor no le deja hacer sus tareas de cada día.
            """
        ),
        "finding_the_cause": md(
            """
            El dolor puede venir de una articulación (donde se unen dos huesos), de un disco de
            la columna, de un músculo o de un nervio. El mejor tratamiento depende de dónde
            viene. Por eso, una clínica del dolor primero trata de hallar de dónde viene.

            Para hallar la causa, la clínica puede:

            1. **Hablar con usted.** ¿Dónde le duele? ¿Qué lo mejora o lo empeora? ¿Desde
               cuándo lo tiene?
            2. **Hacerle un examen físico.** El médico ve cómo se mueve y dónde le duele.
               También revisa su fuerza, lo que siente y sus reflejos.
            3. **Hacer pruebas de imagen, si hace falta.** Los rayos X, la resonancia magnética
               y la tomografía computarizada toman imágenes de adentro del cuerpo. La ecografía
               (ultrasonido) usa ondas de sonido. Las pruebas pueden descartar otros problemas.
               Pero no siempre muestran la causa del dolor.
            4. **Hacer una inyección de prueba.** El médico pone medicina para adormecer cerca
               de un nervio o de una articulación. Si su dolor se va por un rato, es probable
               que el dolor venga de ese lugar. Esto se llama bloqueo de diagnóstico.
            """
        ),
        "options": md(
            f"""
            Si los cuidados en casa no bastan, hay muchos tratamientos sin cirugía. Su médico
            le ayudará a elegir. Muchas veces se usa más de uno a la vez.

            ### Terapia física y ejercicio

            Un terapeuta físico le enseña ejercicios. Los ejercicios le dan más fuerza a la
            espalda y al cuello. También le ayudan a moverse mejor.

            ### Medicinas

            Algunas medicinas para el dolor pueden ayudar por un tiempo corto. Su médico
            elegirá las que sean seguras para usted.

            ### Inyecciones

            - Los **bloqueos nerviosos** ponen medicina para adormecer cerca de un nervio que
              lleva el dolor.
            - Las **inyecciones epidurales** ponen medicina en el espacio alrededor de los
              nervios de la columna. Pueden ayudar con el dolor que baja por un brazo o una
              pierna.
            - Las **inyecciones en las articulaciones** ponen medicina dentro o cerca de una
              articulación de la columna o de la pelvis.

            Lea más sobre las
            [inyecciones en los nervios]({treatment_page("inyecciones-guiadas-por-imagen")}).

            ### Tratar los nervios que llevan el dolor

            - La **crioablación** congela un nervio con una sonda fina.
            - La **ablación por radiofrecuencia** usa calor en vez de frío.

            Las dos hacen que el nervio deje de mandar señales de dolor por un tiempo. Lea más
            sobre la [crioablación]({treatment_page("crioablacion")}).

            ### Estimulación de los nervios

            Un aparato pequeño manda pulsos eléctricos suaves a un nervio. Esto puede calmar el
            dolor. Lea más sobre la
            [estimulación de nervios]({treatment_page("estimulacion-de-nervios-perifericos")}).

            ### Otros cuidados

            La quiropráctica y la acupuntura son otras opciones. Lea más sobre el
            [tratamiento conservador]({treatment_page("tratamiento-conservador")}).
            """
        ),
        "surgery": md(
            """
            La cirugía no suele ser lo primero que se prueba para el dolor de espalda o de
            cuello. Puede ser una opción si:

            - hay señales de daño en un nervio, como un brazo o una pierna cada vez más débil
            - ya probó otros cuidados y no le ayudaron

            Usted decide si operarse, junto con un cirujano. El cirujano le explicará cómo es
            la operación. También le hablará de cómo le puede ayudar, de los riesgos y de cómo
            es la recuperación.

            Si cree que una cirugía le puede ayudar, pregúntenos si puede ver a un cirujano.
            """
        ),
        "when_to_get_help": POINTER,
    },
}


# The urgent advice: every sign the brief lists, whole (pages show it, never a shortened copy).
# Each section says what to do in its own words too, beside the heading the page gives it.
ADVICE = {
    "slug": "ayuda-urgente",
    "title": "Dolor de espalda: cuándo buscar ayuda urgente",
    "summary": (
        "Casi siempre, el dolor de espalda no es grave. Pero hay señales que quieren decir "
        "que necesita ayuda rápido."
    ),
    "emergency": md(
        """
        Si tiene dolor de espalda y alguna de las señales de abajo, llame al 911 o vaya a la
        sala de emergencias ahora mismo.

        - dolor, hormigueo, debilidad o adormecimiento en las dos piernas
        - adormecimiento alrededor de los genitales o de las nalgas
        - problemas para orinar
        - no puede controlar la vejiga o los intestinos (se le sale la orina o el excremento
          sin querer)
        - dolor en el pecho
        - el dolor empezó después de una caída grave o un accidente
        """
    ),
    "same_day": md(
        """
        Si tiene dolor de espalda y alguna de estas señales, llame a su médico hoy mismo:

        - fiebre
        - está bajando de peso y no sabe por qué

        Si ha tenido cáncer y tiene un dolor de espalda nuevo, vea a un médico pronto.
        """
    ),
    "clinic": md(
        """
        Si su dolor empeora, o si no mejora, llame a la clínica.
        """
    ),
}


def spanish_fields(model_name, data):
    """The Spanish row's fields: its text, the rendered HTML and the score Article.save() gives
    a Spanish page."""
    sections = SECTIONS[model_name]
    fields = dict(data)
    fields.update({f"{name}_html": render_markdown(fields.get(name, "")) for name in sections})
    text = "\n\n".join(p for p in [fields["summary"], *(fields.get(n) for n in sections)] if p)
    fields.update(reading_ease_score=reading_ease(text), reading_grade_score=None)
    return fields


def content_type(apps, model_name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="conditions", model=model_name.lower())[0]


def copy_sources(apps, model_name, english, spanish):
    """The English article's sources, on the Spanish one: sources stay as published."""
    Reference = apps.get_model("conditions", "Reference")
    kind = content_type(apps, model_name)
    for source in Reference.objects.filter(content_type=kind, object_id=english.pk):
        Reference.objects.create(
            content_type=kind,
            object_id=spanish.pk,
            title=source.title,
            publisher=source.publisher,
            year=source.year,
            link=source.link,
            position=source.position,
        )


def history_record(apps, model_name, article, when):
    """A first "created" entry, as 0006 gave the English launch articles."""
    Model = apps.get_model("conditions", model_name)
    History = apps.get_model("conditions", f"Historical{model_name}")
    fields = [field.attname for field in Model._meta.concrete_fields]
    record = History.objects.create(
        **{field: getattr(article, field) for field in fields},
        history_date=when,
        history_type="+",
        history_change_reason=REASON,
    )
    if model_name == "Condition":  # its treatment links are tracked too
        Links = apps.get_model("conditions", "HistoricalCondition_treatments")
        through = Model._meta.get_field("treatments").remote_field.through
        for link in through.objects.filter(condition_id=article.pk):
            Links.objects.create(
                id=link.pk, history=record, condition_id=article.pk, treatment_id=link.treatment_id
            )


def add_spanish(apps, model_name, english, data, now):
    """The Spanish version of `english` as its own published row (None if skipped)."""
    Model = apps.get_model("conditions", model_name)
    if english is None or Model.objects.filter(language="es", slug=data["slug"]).exists():
        return None
    return Model.objects.create(
        **spanish_fields(model_name, data),
        language="es",
        translation_of=english,
        status="published",
        publish_at=now,
        content_changed_at=now,
        translation_synced_at=now,
    )


def english_row(apps, model_name, slug):
    return apps.get_model("conditions", model_name).objects.filter(language="en", slug=slug).first()


def seed(apps, schema_editor):
    now = timezone.now()
    added = []  # (model name, English row, Spanish row)

    treatments = {}  # English slug: Spanish row
    for english_slug, data in TREATMENTS.items():
        english = english_row(apps, "Treatment", english_slug)
        spanish = add_spanish(apps, "Treatment", english, data, now)
        if spanish is not None:
            treatments[english_slug] = spanish
            added.append(("Treatment", english, spanish))

    def spanish_treatments(english):
        """The Spanish versions of the English article's treatments, in its order."""
        slugs = english.treatments.order_by("pk").values_list("slug", flat=True)
        return [treatments[slug] for slug in slugs if slug in treatments]

    conditions = {}
    for english_slug, data in CONDITIONS.items():
        english = english_row(apps, "Condition", english_slug)
        spanish = add_spanish(apps, "Condition", english, data, now)
        if spanish is not None:
            spanish.treatments.set(spanish_treatments(english))
            conditions[english_slug] = spanish
            added.append(("Condition", english, spanish))

    for english_slug, data in GUIDES.items():
        english = english_row(apps, "Guide", english_slug)
        spanish = add_spanish(apps, "Guide", english, data, now)
        if spanish is not None:
            spanish.treatments.set(spanish_treatments(english))
            related = english.related_conditions.values_list("slug", flat=True)
            spanish.related_conditions.set([conditions[s] for s in related if s in conditions])
            added.append(("Guide", english, spanish))

    # The urgent advice patients see in English now: the newest published version.
    UrgentAdvice = apps.get_model("conditions", "UrgentAdvice")
    current = (
        UrgentAdvice.objects.filter(language="en", status="published", publish_at__lte=now)
        .order_by("-publish_at", "-pk")
        .first()
    )
    spanish = add_spanish(apps, "UrgentAdvice", current, ADVICE, now)
    if spanish is not None:
        added.append(("UrgentAdvice", current, spanish))

    for model_name, english, spanish in added:
        copy_sources(apps, model_name, english, spanish)
        history_record(apps, model_name, spanish, now)


SLUGS = {
    "Treatment": [data["slug"] for data in TREATMENTS.values()],
    "Condition": [data["slug"] for data in CONDITIONS.values()],
    "Guide": [data["slug"] for data in GUIDES.values()],
    "UrgentAdvice": [ADVICE["slug"]],
}


def unseed(apps, schema_editor):
    """Delete the Spanish rows this migration made, with their sources and history."""
    Reference = apps.get_model("conditions", "Reference")
    for model_name, slugs in SLUGS.items():
        Model = apps.get_model("conditions", model_name)
        History = apps.get_model("conditions", f"Historical{model_name}")
        rows = Model.objects.filter(language="es", slug__in=slugs, translation_of__isnull=False)
        ids = list(rows.values_list("pk", flat=True))
        Reference.objects.filter(
            content_type=content_type(apps, model_name), object_id__in=ids
        ).delete()
        records = History.objects.filter(id__in=ids, history_change_reason=REASON)
        if model_name == "Condition":
            apps.get_model("conditions", "HistoricalCondition_treatments").objects.filter(
                history__in=records
            ).delete()
        records.delete()
        rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0013_reading_ease"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
