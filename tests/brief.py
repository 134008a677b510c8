"""What the content brief (CONTENT.md) requires of the urgent advice, as the phrases of the
seeded text: every page that shows urgent advice must show all of them."""

CALL_911 = (
    "pain, tingling, weakness or numbness in both legs",
    "numbness around your genitals or your buttocks",
    "trouble peeing",
    "cannot control your bladder or bowels",
    "chest pain",
    "serious fall or an accident",
)
SAME_DAY = (
    "a fever",
    "losing weight and do not know why",
    "If you have had cancer and you get new back pain, see a doctor soon",
)
CALL_THE_CLINIC = ("getting worse", "not getting better")
EVERY_SIGN = CALL_911 + SAME_DAY + CALL_THE_CLINIC

# The same signs in the Spanish urgent advice (CONTENT.md's "Spanish edition": "Llame al 911 o
# vaya a la sala de emergencias"), as the phrases of the seeded Spanish text.
EMERGENCY_ES = "Llame al 911 o vaya a la sala de emergencias"
SAME_DAY_CALL_ES = "Llame a su médico hoy mismo"
CLINIC_CALL_ES = "Llame a la clínica"
CALL_911_ES = (
    "dolor, hormigueo, debilidad o adormecimiento en las dos piernas",
    "adormecimiento alrededor de los genitales o de las nalgas",
    "problemas para orinar",
    "no puede controlar la vejiga o los intestinos",
    "dolor en el pecho",
    "caída grave o un accidente",
)
SAME_DAY_ES = (
    "fiebre",
    "bajando de peso y no sabe por qué",
    "Si ha tenido cáncer y tiene un dolor de espalda nuevo, vea a un médico pronto",
)
CALL_THE_CLINIC_ES = ("empeora", "no mejora")
EVERY_SIGN_ES = CALL_911_ES + SAME_DAY_ES + CALL_THE_CLINIC_ES
