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
