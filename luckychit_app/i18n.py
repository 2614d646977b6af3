"""English and Hindi for member screens: one table. `text(lang, key, **values)` builds strings on
the server; `components.translate.t(key)` switches text in components on the user's language."""

from __future__ import annotations

# key: (English, Hindi)
STRINGS: dict[str, tuple[str, str]] = {
    "nav.home": ("Home", "होम"),
    "nav.payments": ("Payments", "भुगतान"),
    "nav.draws": ("Draws", "ड्रॉ"),
    "nav.profile": ("Profile", "प्रोफ़ाइल"),
    "home.title": ("Home", "होम"),
    "home.total_due": ("Total due now", "अभी कुल देय"),
    "home.pay_before_draw": (
        "Pay before the draw to stay eligible.",
        "ड्रॉ में शामिल रहने के लिए ड्रॉ से पहले भुगतान करें।",
    ),
    "home.all_paid": ("You are all paid up.", "आपका पूरा भुगतान हो चुका है।"),
    "home.my_groups": ("My groups", "मेरे समूह"),
    "home.no_groups": (
        "You are not in any group yet. Ask your foreman for an invite link.",
        "आप अभी किसी समूह में नहीं हैं। अपने फ़ोरमैन से आमंत्रण लिंक माँगें।",
    ),
    "home.next_draw": ("Next draw", "अगला ड्रॉ"),
    "home.commitment": ("commitment", "प्रतिबद्धता"),
    "home.notifications": ("Notifications", "सूचनाएँ"),
    "home.mark_read": ("Mark all read", "सभी को पढ़ा हुआ मानें"),
    "home.no_notifications": ("No notifications yet.", "अभी कोई सूचना नहीं।"),
    "group.ticket": ("Ticket", "टिकट"),
    "group.nothing_due": ("Nothing due", "कुछ देय नहीं"),
    "group.not_prized": ("Not yet prized", "अभी इनाम नहीं मिला"),
    "group.prized_in": ("Prized in month {month}", "महीना {month} में इनाम मिला"),
    "group.month_of": ("Month {k} of {n}", "महीना {k} / {n}"),
    "group.forming": ("Forming", "बन रहा है"),
    "group.completed": ("Completed", "पूरा हुआ"),
    "group.overdue_since": ("overdue since {date}", "{date} से बकाया"),
    "group.due_on": ("due {date}", "देय {date}"),
    "kind.lucky": ("Lucky draw", "लकी ड्रॉ"),
    "kind.auction": ("Auction", "नीलामी"),
    "profile.title": ("Profile", "प्रोफ़ाइल"),
    "profile.language": ("Language", "भाषा"),
    "profile.change_password": ("Change password", "पासवर्ड बदलें"),
    "profile.sign_out": ("Sign out", "साइन आउट"),
    "profile.sign_out_everywhere": ("Sign out everywhere", "सभी जगह से साइन आउट"),
    "profile.kyc": ("KYC", "केवाईसी"),
    "profile.kyc_status": ("Status", "स्थिति"),
    "profile.pan": ("PAN", "पैन"),
    "profile.aadhaar": ("Aadhaar", "आधार"),
    "profile.save_kyc": ("Save KYC", "केवाईसी सहेजें"),
    "profile.kyc_note": (
        "Stored encrypted; only the last four characters are ever shown.",
        "एन्क्रिप्ट करके रखा जाता है; केवल अंतिम चार अक्षर दिखाए जाते हैं।",
    ),
    "profile.notifications": ("Notifications", "सूचनाएँ"),
    "profile.sms": ("SMS", "एसएमएस"),
    "profile.email": ("Email", "ईमेल"),
    "profile.sessions": ("Signed-in devices", "साइन-इन डिवाइस"),
    "profile.this_device": ("this device", "यह डिवाइस"),
    "profile.sign_out_device": ("Sign out", "साइन आउट"),
    "profile.saved": ("Saved.", "सहेज लिया गया।"),
    "kyc.none": ("Not submitted", "जमा नहीं किया"),
    "kyc.submitted": ("Submitted, awaiting the foreman", "जमा किया, फ़ोरमैन की पुष्टि बाकी"),
    "kyc.verified": ("Verified", "सत्यापित"),
    "kyc.rejected": ("Rejected: please submit again", "अस्वीकृत: कृपया फिर से जमा करें"),
}


def text(lang: str, key: str, **values: object) -> str:
    en, hi = STRINGS[key]
    template = hi if lang == "hi" else en
    return template.format(**values) if values else template
