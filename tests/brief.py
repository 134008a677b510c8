"""What the content brief (CONTENT.md: "Urgent symptoms" and the library's "Clinical
corrections") requires of the urgent advice, as phrases of the library's text
(conditions/content/<language>/urgent-advice.md): every page that shows the urgent advice must
show all of them, and every treatment page the signs after a procedure."""

CALL_911 = (
    "pain, tingling, weakness or numbness in both legs that is new or getting worse",
    "weakness in one leg that is getting worse, such as a foot that drags or slaps",
    "numbness around your genitals or your buttocks",
    "numbness when you wipe after using the toilet",
    "new changes in sexual function",
    "new trouble peeing",
    "cannot control your bladder or bowels",
    "chest pain",
    "serious fall or an accident",
    "sudden, severe, tearing pain in your back or your belly",
    "clumsy hands",
    "trouble walking or keeping your balance",
    "a fever with a stiff neck",
    "a sudden, severe headache",
)
SAME_DAY = (
    "Call your doctor or go to urgent care today",
    "a fever",
    "a weak immune system",
    "you injected drugs recently",
    "you had a spine procedure recently",
    "minor fall, and you have thin bones (osteoporosis)",
    "minor fall, and you take steroid medicine long term",
    "the pain is worse at night or when you rest",
    "losing weight and do not know why",
    "you have had cancer, and you also have weakness or numbness",
    "See a doctor within a few days",
    "you have had cancer and you get new back pain",
)
CALL_THE_CLINIC = ("getting worse", "not getting better")
AFTER_PROCEDURE = (
    "go to the emergency department or call 911",
    "a fever of 100.4 °F (38 °C) or higher, with back or neck pain that is worse",
    "new weakness or numbness in your arms or legs",
    "new trouble peeing or controlling your bowels",
    "a severe headache that is worse when you sit up, after a spinal injection",
)
EVERY_SIGN = CALL_911 + SAME_DAY + CALL_THE_CLINIC + AFTER_PROCEDURE

# The same signs in the Spanish urgent advice (CONTENT.md's "Spanish edition": "Llame al 911 o
# vaya a la sala de emergencias").
CALL_911_ES = (
    "Llame al 911 o vaya a la sala de emergencias",
    "dolor, hormigueo, debilidad o adormecimiento en las dos piernas, si es nuevo o empeora",
    "debilidad en una pierna que empeora",
    "adormecimiento alrededor de los genitales o de las nalgas",
    "adormecimiento al limpiarse después de ir al baño",
    "cambios nuevos en la función sexual",
    "problemas para orinar, si son nuevos",
    "no puede controlar la vejiga o los intestinos",
    "dolor en el pecho",
    "caída grave o un accidente",
    "dolor repentino y muy fuerte en la espalda o en el vientre",
    "torpeza en las manos",
    "problemas para caminar o para no perder el equilibrio",
    "fiebre con el cuello rígido",
    "un dolor de cabeza fuerte y repentino",
)
SAME_DAY_ES = (
    "Llame a su médico hoy mismo, o vaya hoy a una clínica de urgencias",
    "fiebre",
    "tiene las defensas bajas",
    "se inyectó drogas hace poco",
    "procedimiento en la columna hace poco",
    "caída leve, y tiene los huesos débiles (osteoporosis)",
    "caída leve, y toma medicina con esteroides",
    "el dolor es peor de noche o cuando descansa",
    "bajando de peso y no sabe por qué",
    "ha tenido cáncer, y además tiene debilidad o adormecimiento",
    "Vea a un médico en unos pocos días",
    "ha tenido cáncer y tiene un dolor de espalda nuevo",
)
CALL_THE_CLINIC_ES = ("empeora", "no mejora")
AFTER_PROCEDURE_ES = (
    "fiebre de 100.4 °F (38 °C) o más, con más dolor de espalda o de cuello",
    "debilidad o adormecimiento nuevo en los brazos o en las piernas",
    "problemas nuevos para orinar o para controlar los intestinos",
    "un dolor de cabeza fuerte que empeora al sentarse",
)
EVERY_SIGN_ES = CALL_911_ES + SAME_DAY_ES + CALL_THE_CLINIC_ES + AFTER_PROCEDURE_ES
