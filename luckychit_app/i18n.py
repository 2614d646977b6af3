"""The member's words in every language we have: English and Hindi side by side here (`STRINGS`),
Tamil, Telugu, Kannada and Malayalam in `luckychit_app/locales/` (one dict each), all gathered in
`TABLES` (language -> key -> text). `text(lang, key, **values)` builds strings on the server;
`components.translate.t(key)` switches text in components on the user's language; `message` and
`check_detail` put the services' and the verifier's English into the reader's language."""

from __future__ import annotations

import re

from luckychit_app.locales import CODES, DEFAULT, kn, ml, ta, te

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
    "group.closed": ("Closed", "बंद"),
    "group.cancelled": ("Cancelled", "रद्द"),
    "group.overdue_since": ("overdue since {date} · {days} days late", "{date} से बकाया · {days} दिन की देरी"),
    "group.due_on": ("due {date} · {days} days left", "देय {date} · {days} दिन बाकी"),
    "group.due_today": ("due today, {date}", "आज देय, {date}"),
    "home.upi_title": ("Or pay by UPI", "या यूपीआई से भुगतान करें"),
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
    "contact.whatsapp": ("WhatsApp", "व्हाट्सऐप"),
    "contact.reminders_on": (
        "Payment reminders go to the channels you turn on.",
        "भुगतान अनुस्मारक उन्हीं माध्यमों पर जाते हैं जिन्हें आप चालू करते हैं।",
    ),
    "contact.always_sent": (
        "Sign-in codes, receipts and legal notices are always sent by SMS.",
        "साइन-इन कोड, रसीदें और कानूनी नोटिस हमेशा एसएमएस से भेजे जाते हैं।",
    ),
    "contact.email_address": ("Email address", "ईमेल पता"),
    "contact.code_sent_to": ("We emailed a 6-digit code to", "हमने 6 अंकों का कोड इस पते पर भेजा है:"),
    "contact.verify": ("Verify", "पुष्टि करें"),
    "contact.remove": ("Remove", "हटाएँ"),
    "contact.other_address": ("Use a different address", "दूसरा पता इस्तेमाल करें"),
    "profile.sessions": ("Signed-in devices", "साइन-इन डिवाइस"),
    "profile.this_device": ("this device", "यह डिवाइस"),
    "profile.sign_out_device": ("Sign out", "साइन आउट"),
    "profile.saved": ("Saved.", "सहेज लिया गया।"),
    # shell and shared
    "nav.notifications": ("Notifications", "सूचनाएँ"),
    "common.ticket_n": ("Ticket {n}", "टिकट {n}"),
    "common.back": ("← Back", "← वापस"),
    "home.pay_now": ("Pay now", "अभी भुगतान करें"),
    "home.pay_amount": ("Pay", "भुगतान करें"),
    "profile.my_queries": ("My queries", "मेरे सवाल"),
    "profile.pan_placeholder": ("PAN (ABCPE1234F)", "पैन (ABCPE1234F)"),
    "profile.aadhaar_placeholder": ("Aadhaar (12 digits)", "आधार (12 अंक)"),
    # Payments tab (passbook)
    "payments.title": ("Payments", "भुगतान"),
    "payments.due_now": ("due now", "अभी देय"),
    "payments.nothing_due": ("nothing due", "कुछ देय नहीं"),
    "payments.includes_fees": ("Includes late fees", "विलंब शुल्क सहित"),
    "payments.advance_paid": ("Advance paid:", "अग्रिम जमा:"),
    "payments.upi_waiting": ("UPI waiting for confirmation:", "यूपीआई पुष्टि की प्रतीक्षा में:"),
    "payments.pay_now": ("Pay now", "अभी भुगतान करें"),
    "payments.pay_ahead": ("Pay ahead", "पहले से भुगतान करें"),
    "payments.receipt": ("Receipt", "रसीद"),
    "payments.no_groups": ("No running groups yet.", "अभी कोई चालू समूह नहीं।"),
    "payments.mine": ("My payments", "मेरे भुगतान"),
    "payments.none": ("No payments yet.", "अभी कोई भुगतान नहीं।"),
    "payments.overdue_one": (
        "{count} installment overdue, oldest {days} days",
        "{count} किस्त बकाया, सबसे पुरानी {days} दिन से",
    ),
    "payments.overdue": (
        "{count} installments overdue, oldest {days} days",
        "{count} किस्त बकाया, सबसे पुरानी {days} दिन से",
    ),
    "passbook.title": ("Passbook", "पासबुक"),
    "passbook.balance": ("Balance", "शेष"),
    "passbook.prize_waiting": ("Prize waiting to be paid:", "इनाम का भुगतान बाकी:"),
    "passbook.legend": (
        "Newest first; + is due, − is paid. Every line is an entry in the group's books.",
        "नई प्रविष्टि पहले; + देय है, − जमा है। हर पंक्ति समूह के खातों की एक प्रविष्टि है।",
    ),
    "passbook.empty": ("No entries yet.", "अभी कोई प्रविष्टि नहीं।"),
    "passbook.nil": ("Nil", "शून्य"),
    # The member's phone screens (issue 16): the tabs, home's credit, the passbook's words, the
    # receipt's confirmation, a past draw's page, the query subject; and labels tied to controls.
    "nav.back_to_draws": ("← My draws", "← मेरे ड्रॉ"),
    "nav.back_to_app": ("← Back to the app", "← ऐप पर वापस"),
    "home.in_credit": ("{amount} in credit", "{amount} आपके खाते में जमा"),
    "passbook.payment_for": ("Payment for {what}, receipt {receipt}", "{what} का भुगतान, रसीद {receipt}"),
    "passbook.for_month": ("month {month} installment", "महीना {month} की किस्त"),
    "passbook.for_months": ("months {months} installments", "महीने {months} की किस्तें"),
    "passbook.for_late_fee": ("late fee", "विलंब शुल्क"),
    "passbook.for_advance": ("advance for coming months", "आने वाले महीनों का अग्रिम"),
    "passbook.and": ("and", "और"),
    "passbook.due_on": ("{what}, due {date}", "{what}, देय {date}"),
    "passbook.choose_ticket": ("Passbook of ticket", "किस टिकट की पासबुक"),
    "receipt.paid_line": ("Paid {amount} — receipt {receipt}", "{amount} का भुगतान हुआ — रसीद {receipt}"),
    "draws.details": ("Details", "विवरण"),
    "draws.back": ("← Draws", "← ड्रॉ"),
    "draws.bid_ticket": ("Bid with ticket", "किस टिकट से बोली"),
    "draws.bid_amount": ("Your bid: the discount in ₹", "आपकी बोली: छूट ₹ में"),
    "queries.about": ("What is it about?", "यह किस बारे में है?"),
    "queries.your_reply": ("Your reply", "आपका जवाब"),
    "passbook.due": ("{amount} due", "{amount} देय"),
    "passbook.advance": ("{amount} advance", "{amount} अग्रिम"),
    "passbook.installment": ("Month {month} installment", "महीना {month} की किस्त"),
    "passbook.prize_won": ("Prize won in month {month}", "महीना {month} में जीता इनाम"),
    "passbook.prize_won_gst": (
        "Prize won in month {month} (after GST {gst} on the commission)",
        "महीना {month} में जीता इनाम (कमीशन पर GST {gst} काटकर)",
    ),
    "passbook.dividend": ("Month {month} dividend", "महीना {month} का लाभांश"),
    "passbook.payment": ("Payment received, receipt {receipt}", "भुगतान मिला, रसीद {receipt}"),
    "passbook.late_fee": ("Late fee", "विलंब शुल्क"),
    "passbook.refund": ("Refund paid to you", "आपको लौटाई गई राशि"),
    "passbook.prize_paid": ("Prize paid out", "इनाम का भुगतान किया गया"),
    "passbook.kept_for_dues": ("Kept from your prize for dues", "बकाया के लिए इनाम से काटा गया"),
    # A subscriber leaving with a substitute (issue 15; Chit Funds Act s.28-s.30).
    "passbook.to_substitute": ("Dues passed to the substitute", "बकाया स्थानापन्न सदस्य को सौंपा गया"),
    "passbook.advance_to_refund": ("Advance moved into your refund", "अग्रिम राशि आपकी वापसी में जोड़ी गई"),
    "passbook.taken_over": (
        "Instalments taken over as the substitute",
        "स्थानापन्न सदस्य के रूप में ली गई किस्तें",
    ),
    "passbook.refund_set_aside": ("Refund set aside for you", "आपके लिए अलग रखी गई वापसी राशि"),
    "passbook.refund_label": ("Refund:", "वापसी:"),
    "passbook.no_dues": ("No-dues certificate (PDF)", "बकाया-मुक्त प्रमाणपत्र (PDF)"),
    "passbook.refund_due_now": (
        "{amount} due to you now; ask your foreman",
        "{amount} अभी आपको देय है; अपने फ़ोरमैन से संपर्क करें",
    ),
    "passbook.refund_due_close": (
        "{amount} due to you when the group closes",
        "{amount} समूह बंद होने पर आपको देय है",
    ),
    "passbook.refund_paid": ("{amount} paid to you on {date}", "{date} को आपको {amount} दिए गए"),
    "passbook.nothing_back": ("Nothing left to refund", "लौटाने के लिए कुछ नहीं बचा"),
    "passbook.past": ("Past tickets", "पुराने टिकट"),
    "passbook.removed_on": ("Removed for default on {date}", "{date} को बकाया के कारण हटाया गया"),
    "passbook.exited_on": ("Left the group on {date}", "{date} को समूह छोड़ा"),
    "passbook.transferred": (
        "Transferred to another member in month {month}",
        "महीना {month} में दूसरे सदस्य को हस्तांतरित",
    ),
    "passbook.your_payments": ("You paid {amount}", "आपने {amount} चुकाए"),
    "passbook.read_only": (
        "This ticket is no longer yours: its history stays here to read.",
        "यह टिकट अब आपका नहीं है: इसका इतिहास यहाँ पढ़ने के लिए रहता है।",
    ),
    "status.created": ("Not completed", "पूरा नहीं हुआ"),
    "status.pending": ("Waiting for confirmation", "पुष्टि की प्रतीक्षा में"),
    "status.captured": ("Received", "प्राप्त"),
    "status.failed": ("Failed", "विफल"),
    "status.rejected": ("Not confirmed", "पुष्टि नहीं हुई"),
    "status.refunded": ("Refunded", "राशि लौटाई गई"),
    "method.online": ("Online (gateway)", "ऑनलाइन (गेटवे)"),
    "method.upi": ("UPI", "यूपीआई"),
    "method.cash": ("Cash", "नकद"),
    "method.bank": ("Bank transfer", "बैंक ट्रांसफ़र"),
    "method.prize": ("Deducted from prize", "इनाम से काटा गया"),
    "method.deposit": ("Recovered from security deposit", "ज़मानत जमा से वसूला गया"),
    # Pay screen
    "pay.title": ("Pay", "भुगतान करें"),
    "pay.back": ("← Payments", "← भुगतान"),
    "pay.month": ("Month", "महीना"),
    "pay.due": ("Due", "देय तिथि"),
    "pay.days_late": ("{days} days late", "{days} दिन देर"),
    "pay.late_fee_plus": ("+ late fee", "+ विलंब शुल्क"),
    "pay.has_due": (
        "Due now, oldest first. Pay before the draw to stay eligible.",
        "अभी देय, सबसे पुराना पहले। ड्रॉ में शामिल रहने के लिए ड्रॉ से पहले भुगतान करें।",
    ),
    "pay.nothing_due": (
        "Nothing is due. You can still pay ahead.",
        "कुछ देय नहीं है। आप फिर भी पहले से भुगतान कर सकते हैं।",
    ),
    "pay.advance": ("Advance already paid:", "पहले से जमा अग्रिम:"),
    "pay.pending_upi": (
        "UPI payment waiting for the foreman's confirmation:",
        "यूपीआई भुगतान फ़ोरमैन की पुष्टि की प्रतीक्षा में:",
    ),
    "pay.fees_included": ("Includes late fees charged:", "लगाए गए विलंब शुल्क सहित:"),
    "pay.amount_label": ("Amount to pay (₹)", "भुगतान की राशि (₹)"),
    "pay.part_note": (
        "You may pay part now; it settles your oldest due first.",
        "आप अभी कुछ हिस्सा भी दे सकते हैं; इससे सबसे पुराना बकाया पहले चुकता होता है।",
    ),
    "pay.online": ("Pay online now", "अभी ऑनलाइन भुगतान करें"),
    "pay.online_note": (
        "UPI, cards and net banking through the payment gateway; the receipt comes at once.",
        "पेमेंट गेटवे से यूपीआई, कार्ड और नेट बैंकिंग; रसीद तुरंत मिलती है।",
    ),
    "pay.upi_title": ("Pay by UPI", "यूपीआई से भुगतान करें"),
    "pay.upi_to": ("To", "प्राप्तकर्ता"),
    "pay.upi_app": ("Pay with UPI app", "यूपीआई ऐप से भुगतान करें"),
    "pay.upi_qr_alt": ("UPI QR code", "यूपीआई क्यूआर कोड"),
    "pay.upi_scan": (
        "On another phone? Scan the code with any UPI app.",
        "दूसरे फ़ोन पर? किसी भी यूपीआई ऐप से कोड स्कैन करें।",
    ),
    "pay.upi_enter_amount": ("Enter an amount to get the UPI link.", "यूपीआई लिंक पाने के लिए राशि डालें।"),
    "pay.utr_label": (
        "After paying, enter the 12-digit UTR (UPI reference) from your app:",
        "भुगतान के बाद, अपने ऐप से 12 अंकों का यूटीआर (यूपीआई संदर्भ) डालें:",
    ),
    "pay.utr_submit": ("I have paid: send for confirmation", "मैंने भुगतान कर दिया: पुष्टि के लिए भेजें"),
    "pay.failed_retry": (
        "The payment did not go through and nothing was charged. You can try again.",
        "भुगतान नहीं हो पाया और कोई पैसा नहीं कटा। आप फिर से कोशिश कर सकते हैं।",
    ),
    "pay.not_completed": ("The payment was not completed.", "भुगतान पूरा नहीं हुआ।"),
    "pay.nothing_charged": (
        "{reason} Nothing was charged; you can try again.",
        "{reason} कोई पैसा नहीं कटा; आप फिर से कोशिश कर सकते हैं।",
    ),
    "pay.utr_thanks": (
        "Thank you. Your UPI payment is waiting for the foreman's confirmation; the receipt comes as "
        "soon as it is confirmed.",
        "धन्यवाद। आपका यूपीआई भुगतान फ़ोरमैन की पुष्टि की प्रतीक्षा में है; पुष्टि होते ही रसीद मिल जाएगी।",
    ),
    # Test gateway checkout
    "checkout.title": ("LuckyChit test gateway", "LuckyChit टेस्ट गेटवे"),
    "checkout.demo": (
        "Demo mode: no real money moves. This screen stands in for Razorpay Checkout.",
        "डेमो मोड: कोई असली पैसा नहीं जाता। यह स्क्रीन Razorpay Checkout की जगह है।",
    ),
    "checkout.description": ("Ticket {n} installment", "टिकट {n} की किस्त"),
    "checkout.order": ("Order", "ऑर्डर"),
    "checkout.pay": ("Pay", "भुगतान करें"),
    "checkout.fail": ("Simulate a failed payment", "विफल भुगतान का अभ्यास करें"),
    "checkout.cancel": ("Cancel and go back", "रद्द करें और वापस जाएँ"),
    "checkout.unavailable": (
        "The test gateway is not available on this install.",
        "इस इंस्टॉल पर टेस्ट गेटवे उपलब्ध नहीं है।",
    ),
    # Receipt
    "receipt.print": ("Print", "प्रिंट"),
    "receipt.title": ("Payment receipt", "भुगतान रसीद"),
    "receipt.foreman": ("(foreman)", "(फ़ोरमैन)"),
    "receipt.no": ("No.", "क्रमांक"),
    "receipt.from": ("Received from", "किससे प्राप्त"),
    "receipt.branch": ("Branch", "शाखा"),
    "receipt.online": ("Online, no cashier", "ऑनलाइन, बिना कैशियर"),
    "receipt.recorded_by": ("Received by", "प्राप्तकर्ता"),
    "receipt.mobile": ("Mobile", "मोबाइल"),
    "receipt.group": ("Group", "समूह"),
    "receipt.ticket": ("Ticket", "टिकट"),
    "receipt.method": ("Method", "माध्यम"),
    "receipt.reference": ("Reference", "संदर्भ"),
    "receipt.note": (
        "Receipt numbers run without gaps in each branch. Keep this receipt.",
        "हर शाखा के रसीद नंबर बिना अंतराल के चलते हैं। यह रसीद संभाल कर रखें।",
    ),
    "receipt.line_installment": ("Month {month} installment", "महीना {month} की किस्त"),
    "receipt.line_late_fees": ("Late fees", "विलंब शुल्क"),
    "receipt.line_advance": ("Advance (for coming months)", "अग्रिम (आने वाले महीनों के लिए)"),
    "receipt.refund_done": ("Refund (done): {reason}", "राशि लौटाई (पूरा): {reason}"),
    "receipt.refund_progress": ("Refund (in progress): {reason}", "राशि वापसी (जारी): {reason}"),
    "receipt.issued_for": ("Issued by LuckyChit for {foreman}.", "{foreman} की ओर से LuckyChit द्वारा जारी।"),
    # Draws
    "draws.title": ("Draws", "ड्रॉ"),
    "draws.draw_title": ("Draw", "ड्रॉ"),
    "draws.your_ticket": ("Your ticket:", "आपका टिकट:"),
    "draws.your_tickets_list": ("Your tickets:", "आपके टिकट:"),
    "draws.open_live": ("Month {month}: open live page", "महीना {month}: लाइव पेज खोलें"),
    "draws.until": ("until", "तक"),
    "draws.commitment": ("commitment", "प्रतिबद्धता"),
    "draws.verify": ("Verify", "जाँचें"),
    "draws.no_groups": ("You are not in any group yet.", "आप अभी किसी समूह में नहीं हैं।"),
    "draws.in_person": ("in person", "स्वयं उपस्थित"),
    "draws.auction": ("Auction", "नीलामी"),
    "draws.best_bid": ("Best bid (discount)", "सबसे ऊँची बोली (छूट)"),
    "draws.bid_one": ("bid", "बोली"),
    "draws.bids_count": ("bids", "बोलियाँ"),
    "draws.closes_at": ("Bidding closes at", "बोली बंद होने का समय"),
    "draws.next_bid": ("Next bid at least", "अगली बोली कम से कम"),
    "draws.limits": ("limits", "सीमा"),
    "draws.step": ("step", "अंतर"),
    "draws.place_bid": ("Place bid", "बोली लगाएँ"),
    "draws.bidding_closed": (
        "Bidding has closed. The result appears here in a moment.",
        "बोली बंद हो गई है। परिणाम कुछ ही पल में यहाँ दिखेगा।",
    ),
    "draws.bidding_closed_no_bid": (
        "Bidding has closed without a bid; the foreman may set a new closing time.",
        "बिना किसी बोली के बोली बंद हो गई; फ़ोरमैन नया समापन समय तय कर सकते हैं।",
    ),
    "draws.not_opened": (
        "The foreman has not opened bidding yet. Keep this page open: it updates by itself.",
        "फ़ोरमैन ने अभी बोली शुरू नहीं की है। यह पेज खुला रखें: यह अपने आप अपडेट होता है।",
    ),
    "draws.phrase_title": ("Add your lucky phrase", "अपना लकी वाक्य जोड़ें"),
    "draws.phrase_note": (
        "Any words you like. Every phrase is mixed into the draw, so the result cannot be known in "
        "advance by anyone; all phrases are shown in the proof afterwards.",
        "कोई भी शब्द लिखें। हर वाक्य ड्रॉ में मिलाया जाता है, इसलिए परिणाम पहले से कोई नहीं जान सकता; "
        "बाद में सभी वाक्य प्रमाण में दिखाए जाते हैं।",
    ),
    "draws.phrase_so_far": ("phrase so far.", "वाक्य अब तक।"),
    "draws.phrases_so_far": ("phrases so far.", "वाक्य अब तक।"),
    "draws.your_phrase": ("Your phrase:", "आपका वाक्य:"),
    "draws.phrase_placeholder": ("e.g. mango season", "जैसे आम का मौसम"),
    "draws.add": ("Add", "जोड़ें"),
    "draws.waiting": (
        "The draw has not been held yet. Keep this page open to watch it live.",
        "ड्रॉ अभी नहीं हुआ है। इसे लाइव देखने के लिए यह पेज खुला रखें।",
    ),
    "draws.your_tickets": ("Your tickets", "आपके टिकट"),
    "draws.month_of": ("Month {month} of {months}", "महीना {month} / {months}"),
    "draws.live_caption": ("Live from the foreman's draw", "फ़ोरमैन के ड्रॉ से लाइव"),
    "draws.next_month": ("Next month's draw →", "अगले महीने का ड्रॉ →"),
    "draws.drawing": ("Drawing…", "ड्रॉ हो रहा है…"),
    "draws.winner": ("Winner", "विजेता"),
    "draws.you_won": ("You won! Ticket", "आप जीत गए! टिकट"),
    "draws.ticket": ("Ticket", "टिकट"),
    "draws.won": ("won", "जीता"),
    "draws.prize": ("Prize", "इनाम"),
    "draws.gst": ("GST on commission", "कमीशन पर GST"),
    "draws.discount": ("Discount", "छूट"),
    "draws.commission": ("Commission", "कमीशन"),
    "draws.dividend": ("Dividend per ticket", "प्रति टिकट लाभांश"),
    "draws.net_installment": ("Net installment", "शुद्ध किस्त"),
    "draws.members_online": ("Members online", "ऑनलाइन सदस्य"),
    "draws.drawn_at": ("Drawn at", "ड्रॉ का समय"),
    "draws.proof_sha": ("Proof SHA-256", "प्रमाण SHA-256"),
    "draws.verify_this": ("Verify this draw", "इस ड्रॉ की जाँच करें"),
    "draws.minutes": ("Minutes", "कार्यवृत्त"),
    "draws.proof_json": ("Proof JSON", "प्रमाण JSON"),
    "draws.commitment_title": ("Draw commitment", "ड्रॉ प्रतिबद्धता"),
    "draws.published": ("Published", "प्रकाशित"),
    "draws.commitment_note": (
        "This is the SHA-256 of the secret server seed, fixed before the month opened. The seed is "
        "revealed right after the draw, so anyone can check it matches and that nobody changed it.",
        "यह गुप्त सर्वर सीड का SHA-256 है, जो महीना शुरू होने से पहले तय हुआ। ड्रॉ के तुरंत बाद सीड "
        "खोला जाता है, ताकि कोई भी जाँच सके कि वह मेल खाता है और किसी ने उसे नहीं बदला।",
    ),
    "draws.closes_in": ("Closes in {time}", "{time} में बंद होगी"),
    "draws.bidding_over": ("Bidding has closed", "बोली बंद हो गई है"),
    "draws.no_bids": ("No bids yet", "अभी कोई बोली नहीं"),
    "draws.you": ("You", "आप"),
    "draws.eligible": ("Eligible", "पात्र"),
    "draws.not_active": (
        "Ticket {n} is not active (the member is suspended or has left the group).",
        "टिकट {n} सक्रिय नहीं है (सदस्य निलंबित है या समूह छोड़ चुका है)।",
    ),
    "draws.already_won": (
        "Ticket {n} has already won a prize in this group.",
        "टिकट {n} इस समूह में पहले ही इनाम जीत चुका है।",
    ),
    "draws.unpaid_one": (
        "Ticket {n} has unpaid dues for month {months}; pay them first to take part.",
        "टिकट {n} पर महीना {months} का बकाया है; भाग लेने के लिए पहले इसका भुगतान करें।",
    ),
    "draws.unpaid": (
        "Ticket {n} has unpaid dues for months {months}; pay them first to take part.",
        "टिकट {n} पर महीना {months} का बकाया है; भाग लेने के लिए पहले इसका भुगतान करें।",
    ),
    "draws.foreman_month": ("Month 1 is the foreman's own chit.", "महीना 1 फ़ोरमैन की अपनी चिट है।"),
    "draws.phrase_added": (
        "Your phrase is in. It is mixed into the draw and shown in the proof afterwards.",
        "आपका वाक्य जुड़ गया। यह ड्रॉ में मिलाया जाएगा और बाद में प्रमाण में दिखेगा।",
    ),
    "draws.bid_placed": ("Your bid is in.", "आपकी बोली लग गई।"),
    "mode.lucky": ("Lucky draw", "लकी ड्रॉ"),
    "mode.auction": ("Auction", "नीलामी"),
    "mode.foreman_first": ("Foreman's first chit (s.21(1)(a))", "फ़ोरमैन की पहली चिट (धारा 21(1)(क))"),
    "mode.final": ("Final month: the last ticket takes the prize", "अंतिम महीना: आखिरी टिकट को इनाम मिलता है"),
    "drawstatus.committed": ("Commitment published", "प्रतिबद्धता प्रकाशित"),
    "drawstatus.bidding": ("Auction open", "नीलामी खुली है"),
    "drawstatus.completed": ("Completed", "पूरा हुआ"),
    "drawstatus.cancelled": ("Cancelled", "रद्द"),
    "note.foreman_first": (
        "Month 1 goes to the foreman's own ticket with no discount (s.21(1)(a)); no draw was held.",
        "महीना 1 बिना छूट के फ़ोरमैन के अपने टिकट को जाता है (धारा 21(1)(क)); कोई ड्रॉ नहीं हुआ।",
    ),
    "note.final_single": (
        "Only one ticket had not yet won: it takes the final month without a draw.",
        "केवल एक टिकट ने अभी तक नहीं जीता था: उसे बिना ड्रॉ के अंतिम महीना मिलता है।",
    ),
    "note.auction_single": ("The highest bid won outright.", "सबसे ऊँची बोली सीधे जीती।"),
    "note.single": (
        "Only one ticket was eligible: it takes the prize without a draw.",
        "केवल एक टिकट पात्र था: उसे बिना ड्रॉ के इनाम मिलता है।",
    ),
    "beacon.not_named": (
        "Public beacon: none was named when this month opened (not configured); the draw uses members' "
        "phrases only.",
        "सार्वजनिक बीकन: यह महीना खुलते समय कोई नामित नहीं हुआ (कॉन्फ़िगर नहीं); ड्रॉ केवल सदस्यों के वाक्यों से होगा।",
    ),
    "beacon.named": (
        "Public beacon: drand round {round}, due {due}, is mixed into the draw. If it cannot be fetched "
        "then, the draw uses members' phrases only, as this commitment says in advance.",
        "सार्वजनिक बीकन: drand राउंड {round}, समय {due}, ड्रॉ में मिलाया जाएगा। यदि तब वह न मिले, तो ड्रॉ केवल "
        "सदस्यों के वाक्यों से होगा, जैसा यह प्रतिबद्धता पहले से कहती है।",
    ),
    "beacon.none": (
        "No public beacon was named for this draw: members' phrases only.",
        "इस ड्रॉ के लिए कोई सार्वजनिक बीकन नामित नहीं था: केवल सदस्यों के वाक्य।",
    ),
    "beacon.used": (
        "Public beacon: drand round {round} was mixed in (randomness {randomness}…).",
        "सार्वजनिक बीकन: drand राउंड {round} मिलाया गया (रैंडमनेस {randomness}…)।",
    ),
    "beacon.fallback": (
        "Public beacon: drand round {round} was named but not used ({reason}); as the commitment said in "
        "advance, the draw used members' phrases only.",
        "सार्वजनिक बीकन: drand राउंड {round} नामित था पर उपयोग नहीं हुआ ({reason}); जैसा प्रतिबद्धता ने पहले से "
        "कहा था, ड्रॉ केवल सदस्यों के वाक्यों से हुआ।",
    ),
    "beacon.typed": (
        "Public value typed by the foreman: {value}",
        "फ़ोरमैन द्वारा टाइप किया सार्वजनिक मान: {value}",
    ),
    "draws.chain_head": ("Bid chain head", "बोली शृंखला का शीर्ष"),
    "draws.chain_head_note": (
        "Every accepted bid moves this fingerprint; the minutes and the proof print the last one.",
        "हर स्वीकार की गई बोली यह फ़िंगरप्रिंट बदलती है; कार्यवृत्त और प्रमाण अंतिम वाला छापते हैं।",
    ),
    "auctionproof.bid_at": ("{amount} at {at}", "{at} पर {amount}"),
    "auctionproof.you_bid": ("You bid {bids}.", "आपकी बोली: {bids}।"),
    "auctionproof.you_did_not_bid": ("You did not bid in this auction.", "आपने इस नीलामी में बोली नहीं लगाई।"),
    "auctionproof.winning_bid": (
        "The winning bid was {amount} at {at} (ticket {ticket}).",
        "जीतने वाली बोली {at} पर {amount} थी (टिकट {ticket})।",
    ),
    "auctionproof.closed": (
        "Bids in the chain: {n}, the last at {last}. Bidding was to close at {closes} and closed at "
        "{closed}; every bid is timed before the close.",
        "शृंखला में बोलियाँ: {n}, अंतिम {last} पर। बोली {closes} पर बंद होनी थी और {closed} पर बंद हुई; हर बोली "
        "बंद होने से पहले की है।",
    ),
    "auctionproof.set_aside": (
        "Bids of ticket(s) {tickets} were set aside: not eligible at the close.",
        "टिकट {tickets} की बोलियाँ अलग रखी गईं: बंद होने पर पात्र नहीं थे।",
    ),
    "auctionproof.head": (
        "Bid chain head {head}…, as the auction room showed it live.",
        "बोली शृंखला का शीर्ष {head}…, जैसा नीलामी कक्ष ने लाइव दिखाया।",
    ),
    "auctionproof.settled": (
        "Discount {discount} less commission {commission} is shared as {dividend} per ticket; the prize "
        "is {prize}.",
        "छूट {discount} में से कमीशन {commission} घटाकर प्रति टिकट {dividend} बाँटा गया; इनाम {prize} है।",
    ),
    "verify.auction_words": ("The auction in plain words", "नीलामी सरल शब्दों में"),
    "note.tie": (
        "Tickets {tickets} tied at the highest bid; the verifiable lot chose among them.",
        "टिकट {tickets} की सबसे ऊँची बोली बराबर रही; जाँचने योग्य लॉटरी ने उनमें से चुना।",
    ),
    "note.lot": (
        "Drawn by lot among {n} eligible tickets.",
        "{n} पात्र टिकटों में से लॉटरी द्वारा चुना गया।",
    ),
    # Queries
    "queries.title": ("My queries", "मेरे सवाल"),
    "queries.message": ("message", "संदेश"),
    "queries.messages": ("messages", "संदेश"),
    "queries.ask": ("Ask about a payment or a draw", "किसी भुगतान या ड्रॉ के बारे में पूछें"),
    "queries.nothing": (
        "You have no payments or draws to ask about yet.",
        "आपके पास अभी पूछने के लिए कोई भुगतान या ड्रॉ नहीं है।",
    ),
    "queries.subject": ("Subject", "विषय"),
    "queries.what": ("What happened?", "क्या हुआ?"),
    "queries.send": ("Send to the foreman", "फ़ोरमैन को भेजें"),
    "queries.thread_title": ("Query", "सवाल"),
    "queries.closed": ("This query is closed.", "यह सवाल बंद हो चुका है।"),
    "queries.reply": ("Reply", "जवाब दें"),
    "queries.subject_payment": ("Payment {date} · {amount} · {group}", "भुगतान {date} · {amount} · {group}"),
    "queries.subject_draw": ("Draw · {group} · month {month}", "ड्रॉ · {group} · महीना {month}"),
    "dispute.payment": ("Payment", "भुगतान"),
    "dispute.payment_of": ("Payment of {amount}", "{amount} का भुगतान"),
    "dispute.payment_receipt": (
        "Payment of {amount} (receipt {receipt})",
        "{amount} का भुगतान (रसीद {receipt})",
    ),
    "dispute.draw": ("Draw", "ड्रॉ"),
    "dispute.draw_month": ("Draw for month {month}", "महीना {month} का ड्रॉ"),
    "qstatus.open": ("open", "खुला"),
    "qstatus.answered": ("answered", "जवाब मिला"),
    "qstatus.closed": ("closed", "बंद"),
    # Verify (public page; a signed-in member sees it in their language)
    "verify.header": ("Draw verification", "ड्रॉ की जाँच"),
    "verify.month": ("month", "महीना"),
    "verify.valid": (
        "VALID — every check passed and the proof is the one recorded at the draw.",
        "मान्य — हर जाँच सफल रही और यह वही प्रमाण है जो ड्रॉ के समय दर्ज हुआ।",
    ),
    "verify.invalid": ("INVALID — see the failed check below.", "अमान्य — नीचे विफल जाँच देखें।"),
    "verify.winner": ("Winner: ticket", "विजेता: टिकट"),
    "verify.drawn": ("drawn", "ड्रॉ हुआ"),
    "verify.fingerprint": (
        "Proof fingerprint (compare with the minutes)",
        "प्रमाण की पहचान (कार्यवृत्त से मिलाएँ)",
    ),
    "verify.download_proof": ("Download proof JSON", "प्रमाण JSON डाउनलोड करें"),
    "verify.download_verifier": ("Download verify.py", "verify.py डाउनलोड करें"),
    "verify.not_yet": (
        "This draw has not been held yet. Its commitment was published",
        "यह ड्रॉ अभी नहीं हुआ है। इसकी प्रतिबद्धता प्रकाशित हुई",
    ),
    "verify.check_any": ("Check any proof file", "कोई भी प्रमाण फ़ाइल जाँचें"),
    "verify.check_any_note": (
        "Paste a proof, or choose the .json file you downloaded. It is checked with the same code as "
        "verify.py.",
        "प्रमाण चिपकाएँ, या डाउनलोड की गई .json फ़ाइल चुनें। इसे verify.py वाले कोड से ही जाँचा जाता है।",
    ),
    "verify.check_pasted": ("Check pasted proof", "चिपकाया प्रमाण जाँचें"),
    "verify.choose_file": ("Tap to choose a proof file", "प्रमाण फ़ाइल चुनने के लिए टैप करें"),
    "verify.pasted_valid": ("VALID — every check passed.", "मान्य — हर जाँच सफल रही।"),
    "verify.pasted_invalid": ("INVALID — see the failed check.", "अमान्य — विफल जाँच देखें।"),
    "verify.run_title": ("Check it on your own computer", "अपने कंप्यूटर पर जाँचें"),
    "verify.run_intro": (
        "verify.py is one file that uses only Python's standard library. Download it and the proof, "
        "then run:",
        "verify.py एक ही फ़ाइल है जो केवल Python की स्टैंडर्ड लाइब्रेरी इस्तेमाल करती है। इसे और प्रमाण "
        "डाउनलोड करें, फिर चलाएँ:",
    ),
    "verify.run_note": (
        "It prints VALID, or names exactly which check failed. It recomputes the commitment, the "
        "eligible-list hash, the client seed, every HMAC step with its rejection sampling, the winner "
        "and the order of the timestamps.",
        "यह VALID छापता है, या ठीक-ठीक बताता है कि कौन-सी जाँच विफल हुई। यह प्रतिबद्धता, पात्र सूची का "
        "हैश, क्लाइंट सीड, रिजेक्शन सैंपलिंग सहित हर HMAC चरण, विजेता और समय-क्रम दोबारा गणना करता है।",
    ),
    "verify.paste_first": ("Paste a proof (the JSON file) first.", "पहले प्रमाण (JSON फ़ाइल) चिपकाएँ।"),
    "verify.too_long": ("That is far too long to be a draw proof.", "यह ड्रॉ प्रमाण होने के लिए बहुत लंबा है।"),
    "verify.choose_first": ("Choose a proof file first.", "पहले प्रमाण फ़ाइल चुनें।"),
    "verify.too_big": ("That file is far too big to be a draw proof.", "यह फ़ाइल ड्रॉ प्रमाण के लिए बहुत बड़ी है।"),
    "verify.not_utf8": (
        "That file is not UTF-8 text; a proof is a .json file.",
        "यह फ़ाइल UTF-8 टेक्स्ट नहीं है; प्रमाण एक .json फ़ाइल होती है।",
    ),
    "check.version": ("Proof format and version", "प्रमाण का प्रारूप और संस्करण"),
    "check.commitment": ("Commitment: sha256(server seed)", "प्रतिबद्धता: sha256(सर्वर सीड)"),
    "check.eligible_list": ("Eligible-list hash", "पात्र सूची का हैश"),
    "check.client_seed": ("Client seed from phrases and public value", "वाक्यों और सार्वजनिक मान से क्लाइंट सीड"),
    "check.selection": ("HMAC chain and rejection steps", "HMAC शृंखला और रिजेक्शन चरण"),
    "check.winner": ("Winner is the selected ticket", "विजेता वही चुना गया टिकट है"),
    "check.timestamps": ("Order of timestamps", "समय-क्रम"),
    "check.beacon": ("Public drand beacon", "सार्वजनिक drand बीकन"),
    "check.bid_chain": ("Bid chain: every bid hashed and linked", "बोली शृंखला: हर बोली हैश और जुड़ी हुई"),
    "check.bid_rules": ("Every bid followed the bidding rules", "हर बोली बोली के नियमों के अनुसार थी"),
    "check.closing": ("Bids inside the bidding time", "बोलियाँ बोली के समय के भीतर"),
    "check.best_bid": ("Best bid and the tickets tied at it", "सबसे ऊँची बोली और उस पर बराबर टिकट"),
    "check.settlement": ("Prize, dividend and commission recomputed", "इनाम, लाभांश और कमीशन की दोबारा गणना"),
    "check.lot": ("Lot among the tied tickets", "बराबर टिकटों के बीच लॉटरी"),
    "sha.recomputed": ("SHA-256 of this proof (recomputed now)", "इस प्रमाण का SHA-256 (अभी दोबारा गणना)"),
    "sha.recorded": ("Recorded with the draw", "ड्रॉ के साथ दर्ज"),
    "sha.logged": ("Recorded in the audit log at the draw", "ड्रॉ के समय ऑडिट लॉग में दर्ज"),
    # Errors and messages handlers show
    "label.amount": ("Amount", "राशि"),
    "label.message": ("Message", "संदेश"),
    "label.reason": ("Reason", "कारण"),
    # Service errors with values in them: matched by their English shape (see `message`).
    "error.required": ("{label} is required.", "{label} ज़रूरी है।"),
    "error.min_chars": (
        "{label} must be at least {n} characters.",
        "{label} कम से कम {n} अक्षरों का होना चाहिए।",
    ),
    "error.max_chars": ("{label} must be at most {n} characters.", "{label} अधिकतम {n} अक्षरों का हो सकता है।"),
    "error.bad_chars": (
        "{label} contains characters that are not allowed.",
        "{label} में ऐसे अक्षर हैं जिनकी अनुमति नहीं है।",
    ),
    "error.pay_at_most": (
        "You can pay at most {amount} on this ticket.",
        "आप इस टिकट पर अधिकतम {amount} भर सकते हैं।",
    ),
    "error.bid_too_low": (
        "A bid must offer a discount of at least {min} (the foreman's commission); {amount} is too low.",
        "बोली में कम से कम {min} (फ़ोरमैन का कमीशन) की छूट होनी चाहिए; {amount} बहुत कम है।",
    ),
    "error.bid_too_high": (
        "A bid cannot offer a discount above {max} (this group's maximum); {amount} is too high.",
        "बोली में {max} (इस समूह की अधिकतम सीमा) से ज़्यादा छूट नहीं हो सकती; {amount} बहुत ज़्यादा है।",
    ),
    "error.bid_beat": (
        "A new bid must beat the best bid of {best} by at least {step}, i.e. offer a discount of at least "
        "{needed}.",
        "नई बोली को {best} की सबसे ऊँची बोली से कम से कम {step} ज़्यादा होना चाहिए, यानी कम से कम {needed} की छूट।",
    ),
    "error.bidding_closed_at": ("Bidding closed at {time}.", "बोली {time} पर बंद हो गई।"),
    "error.already_won": (
        "Ticket {n} has already won a prize in this group.",
        "टिकट {n} इस समूह में पहले ही इनाम जीत चुका है।",
    ),
    "error.phrase_empty": ("The phrase is empty; type a few words.", "वाक्य खाली है; कुछ शब्द लिखें।"),
    "error.generic": (
        "Something went wrong on our side. Nothing was saved; please try again.",
        "हमारी ओर से कुछ गड़बड़ हुई। कुछ भी सहेजा नहीं गया; कृपया फिर से कोशिश करें।",
    ),
    "error.not_allowed": ("You are not allowed to do that.", "आपको ऐसा करने की अनुमति नहीं है।"),
    "error.utr_enter": ("Enter the 12-digit UTR from your UPI app.", "अपने यूपीआई ऐप से 12 अंकों का यूटीआर डालें।"),
    "error.utr_format": (
        "The UTR is the 12-digit number in your UPI app's transaction details.",
        "यूटीआर आपके यूपीआई ऐप के लेन-देन विवरण में 12 अंकों का नंबर है।",
    ),
    "error.utr_used": (
        "This UTR has already been used for a payment.",
        "यह यूटीआर पहले ही किसी भुगतान में इस्तेमाल हो चुका है।",
    ),
    "error.no_upi": (
        "This group does not take UPI payments directly. Use Pay online instead.",
        "यह समूह सीधे यूपीआई भुगतान नहीं लेता। इसकी जगह ऑनलाइन भुगतान करें।",
    ),
    "error.not_collecting": ("This group is not collecting payments.", "यह समूह अभी भुगतान नहीं ले रहा है।"),
    "error.ticket_removed": ("This ticket has been removed.", "यह टिकट हटा दिया गया है।"),
    "error.min_online": ("Online payments must be at least ₹1.", "ऑनलाइन भुगतान कम से कम ₹1 होना चाहिए।"),
    "error.nothing_due": ("Nothing is due on this ticket.", "इस टिकट पर कुछ देय नहीं है।"),
    "error.gateway_down": (
        "Online payment is not available right now and nothing was charged. Please try again in a few "
        "minutes, or pay by UPI.",
        "ऑनलाइन भुगतान अभी उपलब्ध नहीं है और कोई पैसा नहीं कटा। कुछ मिनट बाद फिर कोशिश करें, या यूपीआई से भुगतान करें।",
    ),
    "error.amount_negative": ("The amount cannot be negative.", "राशि ऋणात्मक नहीं हो सकती।"),
    "error.amount_zero": ("The amount must be more than ₹0.", "राशि ₹0 से अधिक होनी चाहिए।"),
    "error.amount_enter": ("Enter an amount in rupees.", "रुपयों में राशि डालें।"),
    "error.amount_format": (
        "Enter the amount in rupees, for example 2,500 or 2500.50.",
        "राशि रुपयों में डालें, जैसे 2,500 या 2500.50।",
    ),
    "error.amount_decimals": (
        "Amounts can have at most 2 decimal places (paise).",
        "राशि में दशमलव के बाद अधिकतम 2 अंक (पैसे) हो सकते हैं।",
    ),
    "error.pan_enter": (
        "Enter your 10-character PAN, like ABCPE1234F.",
        "अपना 10 अक्षरों का पैन डालें, जैसे ABCPE1234F।",
    ),
    "error.pan_invalid": (
        "That PAN is not valid (format: 5 letters, 4 digits, 1 letter).",
        "यह पैन मान्य नहीं है (प्रारूप: 5 अक्षर, 4 अंक, 1 अक्षर)।",
    ),
    "error.aadhaar_enter": ("Enter your 12-digit Aadhaar number.", "अपना 12 अंकों का आधार नंबर डालें।"),
    "error.kyc_empty": ("Enter your PAN, your Aadhaar number, or both.", "अपना पैन, आधार नंबर, या दोनों डालें।"),
    "error.language": ("Choose one of the languages offered.", "दी गई भाषाओं में से एक चुनें।"),
    "error.email_first": (
        "Add an email address before choosing email notifications.",
        "ईमेल सूचनाएँ चुनने से पहले ईमेल पता जोड़ें।",
    ),
    "error.query_subject": (
        "A query is about a payment or a draw.",
        "सवाल किसी भुगतान या ड्रॉ के बारे में होता है।",
    ),
    "error.query_closed": ("This query is closed.", "यह सवाल बंद हो चुका है।"),
    "error.receipt_pending": (
        "This payment is waiting for confirmation; the receipt comes once it is received.",
        "यह भुगतान पुष्टि की प्रतीक्षा में है; राशि मिलते ही रसीद आएगी।",
    ),
    "error.receipt_created": (
        "This payment was not completed, so there is no receipt.",
        "यह भुगतान पूरा नहीं हुआ, इसलिए कोई रसीद नहीं है।",
    ),
    "error.receipt_failed": (
        "This payment failed, so there is no receipt.",
        "यह भुगतान विफल रहा, इसलिए कोई रसीद नहीं है।",
    ),
    "error.receipt_rejected": (
        "This UPI payment was not confirmed by the foreman, so there is no receipt.",
        "फ़ोरमैन ने इस यूपीआई भुगतान की पुष्टि नहीं की, इसलिए कोई रसीद नहीं है।",
    ),
    "error.no_draw": ("There is no draw with that number.", "इस नंबर का कोई ड्रॉ नहीं है।"),
    "error.bidding_not_open": ("Bidding is not open for this month.", "इस महीने की बोली खुली नहीं है।"),
    # Notifications, written in the recipient's language (services/notifications.notify)
    "notify.payment_received": ("{amount} received for {group}", "{group} के लिए {amount} प्राप्त हुए"),
    "notify.payment_received_body": ("Receipt no. {receipt}", "रसीद क्रमांक {receipt}"),
    "notify.month_opened": ("{group}: month {month} is open", "{group}: महीना {month} शुरू हो गया है"),
    "notify.month_opened_body": (
        "Draw commitment {commitment}… Pay your installment before the draw.",
        "ड्रॉ प्रतिबद्धता {commitment}… ड्रॉ से पहले अपनी किस्त भरें।",
    ),
    "notify.joined": ("You joined {group}", "आप {group} में शामिल हो गए"),
    "notify.join_approved": (
        "Your request to join {group} was approved",
        "{group} में शामिल होने का आपका अनुरोध स्वीकार हुआ",
    ),
    "notify.join_rejected": (
        "Your request to join {group} was rejected",
        "{group} में शामिल होने का आपका अनुरोध अस्वीकार हुआ",
    ),
    "notify.ticket_transferred_away": (
        "Ticket {n} of {group} is now {name}'s",
        "{group} का टिकट {n} अब {name} का है",
    ),
    "notify.ticket_transferred_away_body": (
        "Transferred with the foreman's consent: {why}. Your payments stay in your passbook.",
        "फोरमैन की सहमति से हस्तांतरित: {why}। आपके भुगतान आपकी पासबुक में बने रहेंगे।",
    ),
    "notify.ticket_transferred_to_you": (
        "You now hold ticket {n} of {group}",
        "अब {group} का टिकट {n} आपका है",
    ),
    "notify.ticket_transferred_to_you_body": (
        "Transferred from {name}: its dues, any prize not yet paid and its advance come with it.",
        "{name} से हस्तांतरित: इसकी बकाया राशि, अब तक न दिया गया इनाम और अग्रिम इसके साथ आते हैं।",
    ),
    "notify.closing_share": (
        "{amount} is due to you from {group} at its close",
        "{group} के समापन पर आपको {amount} मिलने हैं",
    ),
    "notify.closing_share_body": (
        "Your share of the amounts the group returns at its close; the foreman will pay it.",
        "समापन पर समूह द्वारा लौटाई जाने वाली राशि में आपका हिस्सा; फोरमैन इसका भुगतान करेंगे।",
    ),
    "notify.group_closed_certificate": (
        "{group} is closed: your no-dues certificate for ticket {n} is ready",
        "{group} बंद हो गया: टिकट {n} का आपका बकाया-मुक्त प्रमाणपत्र तैयार है",
    ),
    "notify.group_closed_certificate_body": (
        "Every subscription is paid and nothing is due either way.",
        "हर किस्त चुका दी गई है और किसी भी ओर कुछ बकाया नहीं है।",
    ),
    "notify.group_closed": ("{group} is closed", "{group} बंद हो गया"),
    "notify.group_cancelled": ("{group} has been cancelled", "{group} रद्द कर दिया गया है"),
    "notify.ticket_status": ("Your ticket {n} is now {status}", "आपका टिकट {n} अब {status} है"),
    "ticketstatus.active": ("active", "सक्रिय"),
    "ticketstatus.suspended": ("suspended", "निलंबित"),
    "ticketstatus.removed": ("removed", "हटाया गया"),
    "notify.upi_rejected": (
        "UPI payment of {amount} not confirmed ({group})",
        "{amount} के यूपीआई भुगतान की पुष्टि नहीं हुई ({group})",
    ),
    "notify.auction_open": (
        "{group} month {month}: bidding open until {until}",
        "{group} महीना {month}: बोली {until} तक खुली है",
    ),
    "notify.draw_result": (
        "{group} month {month}: ticket {n} won {prize}",
        "{group} महीना {month}: टिकट {n} ने {prize} जीते",
    ),
    "notify.payout": ("Prize of {amount} paid for {group}", "{group} के लिए {amount} के इनाम का भुगतान हुआ"),
    "notify.payout_body": ("{method} {ref}", "{method} संदर्भ {ref}"),
    "notify.payout_kept_body": (
        "{method} {ref}; {kept} kept for your dues",
        "{method} {ref}; आपके बकाया के लिए {kept} रखे गए",
    ),
    "notify.refund": ("{amount} refunded for {group}", "{group} के लिए {amount} लौटाए गए"),
    "notify.default_notice": (
        "Notice: ticket {n} of {group} is in default",
        "सूचना: {group} का टिकट {n} बकाया में है",
    ),
    "notify.default_notice_body": (
        "Ticket {n} of {group} has {count} unpaid instalments ({amount}). Pay the arrears by {date} to "
        "keep your ticket (Chit Funds Act s.28); otherwise it may be given to a substitute. Reason: {reason}",
        "{group} के टिकट {n} की {count} किस्तें बकाया हैं ({amount})। अपना टिकट बचाने के लिए {date} तक "
        "बकाया चुकाएँ (चिट फंड अधिनियम धारा 28); अन्यथा यह किसी स्थानापन्न सदस्य को दिया जा सकता है। कारण: {reason}",
    ),
    "notify.default_lifted": (
        "Ticket {n} of {group}: arrears paid, you keep your ticket",
        "{group} का टिकट {n}: बकाया चुका दिया गया, आपका टिकट बना रहेगा",
    ),
    "notify.ticket_removed": (
        "Ticket {n} of {group} was removed for default and given to a substitute",
        "{group} का टिकट {n} बकाया के कारण हटाकर स्थानापन्न सदस्य को दिया गया",
    ),
    "notify.ticket_exited": (
        "Ticket {n} of {group} was closed at your request",
        "आपके अनुरोध पर {group} का टिकट {n} बंद किया गया",
    ),
    "notify.refund_now": (
        "{amount} of what you paid is set aside for you, payable now.",
        "आपकी जमा राशि में से {amount} आपके लिए अलग रखे गए हैं, अभी देय।",
    ),
    "notify.refund_at_close": (
        "{amount} of what you paid is set aside for you, payable when the group closes.",
        "आपकी जमा राशि में से {amount} आपके लिए अलग रखे गए हैं, समूह बंद होने पर देय।",
    ),
    "notify.substitute": ("You hold ticket {n} of {group}", "अब {group} का टिकट {n} आपका है"),
    "notify.substitute_body": (
        "As the substitute, pay {amount} for the instalments of months 1 to {month}, then each month's "
        "instalment.",
        "स्थानापन्न सदस्य के रूप में महीना 1 से {month} तक की किस्तों के लिए {amount} चुकाएँ, फिर हर महीने की किस्त।",
    ),
    "notify.subscriber_refund": (
        "Refund of {amount} paid for {group}",
        "{group} के लिए {amount} की वापसी का भुगतान हुआ",
    ),
    "notify.dispute_answer": ("Answer on “{title}”", "“{title}” पर जवाब"),
    "notify.dispute_closed": ("Query closed: {title}", "सवाल बंद हुआ: {title}"),
    # The bell, its toasts and the notifications list (issue 16)
    "bell.unread": ("unread", "अपठित"),
    "bell.new": ("New", "नई"),
    "bell.new_many": ("{n} new notifications", "{n} नई सूचनाएँ"),
    "bell.open": ("Open", "खोलें"),
    "bell.see_all": ("See all", "सभी देखें"),
    "bell.mark_all_read": ("Mark all as read", "सभी को पढ़ा हुआ मानें"),
    "error.no_notification": ("There is no such notification.", "ऐसी कोई सूचना नहीं है।"),
    # KYC: date of birth, bank account, nominee, the foreman's review (issue 16)
    "profile.date_of_birth": ("Date of birth", "जन्म तिथि"),
    "profile.bank_account": ("Bank account number", "बैंक खाता संख्या"),
    "profile.ifsc": ("IFSC", "आईएफ़एससी"),
    "profile.nominee_name": ("Nominee's name", "नामांकित व्यक्ति का नाम"),
    "profile.nominee_relation": ("Nominee's relation to you", "नामांकित व्यक्ति से आपका संबंध"),
    "profile.relation_choose": ("Choose…", "चुनें…"),
    "profile.paid_to": ("Payouts and refunds go to", "इनाम और वापसी की राशि यहाँ जाती है"),
    "profile.nominee": ("Nominee", "नामांकित व्यक्ति"),
    "profile.review_reason": ("Your foreman's reason:", "आपके फ़ोरमैन का कारण:"),
    "profile.kyc_blank_keeps": (
        "Leave a box blank to keep what is saved. Members must be 18 or older. Any change is checked by "
        "your foreman again.",
        "जो सहेजा है उसे रखने के लिए बॉक्स खाली छोड़ें। सदस्य की आयु 18 वर्ष या अधिक होनी चाहिए। हर बदलाव की "
        "जाँच आपके फ़ोरमैन फिर से करेंगे।",
    ),
    "profile.language_saved": ("Language saved.", "भाषा सहेज ली गई।"),
    "relation.spouse": ("Spouse", "पति/पत्नी"),
    "relation.son": ("Son", "पुत्र"),
    "relation.daughter": ("Daughter", "पुत्री"),
    "relation.father": ("Father", "पिता"),
    "relation.mother": ("Mother", "माता"),
    "relation.brother": ("Brother", "भाई"),
    "relation.sister": ("Sister", "बहन"),
    "relation.other": ("Other", "अन्य"),
    "notify.kyc_verified": ("Your KYC has been verified", "आपका केवाईसी सत्यापित हो गया है"),
    "notify.kyc_rejected": ("Your KYC was not accepted", "आपका केवाईसी स्वीकार नहीं हुआ"),
    "notify.kyc_rejected_body": (
        "Reason: {reason}. Correct it on your profile and submit again.",
        "कारण: {reason}। अपनी प्रोफ़ाइल पर इसे ठीक करके फिर से जमा करें।",
    ),
    "error.kyc_nothing": (
        "Nothing to save: fill in what you want to add or change.",
        "सहेजने को कुछ नहीं: जो जोड़ना या बदलना है वह भरें।",
    ),
    "error.dob_enter": ("Enter your date of birth.", "अपनी जन्म तिथि डालें।"),
    "error.dob_future": ("The date of birth cannot be in the future.", "जन्म तिथि भविष्य की नहीं हो सकती।"),
    "error.dob_old": (
        "Check the date of birth: it is more than 120 years ago.",
        "जन्म तिथि जाँचें: यह 120 वर्ष से भी पहले की है।",
    ),
    "error.minor": (
        "Members must be 18 or older: a minor cannot enter a chit agreement.",
        "सदस्य की आयु 18 वर्ष या अधिक होनी चाहिए: नाबालिग चिट अनुबंध नहीं कर सकता।",
    ),
    "error.bank_account": (
        "Enter your bank account number: 9 to 18 digits.",
        "अपनी बैंक खाता संख्या डालें: 9 से 18 अंक।",
    ),
    "error.ifsc": (
        "That IFSC is not valid: 11 characters, 4 letters, then 0, then 6 letters or digits (like "
        "SBIN0001234).",
        "यह आईएफ़एससी सही नहीं है: 11 अक्षर, पहले 4 अक्षर, फिर 0, फिर 6 अक्षर या अंक (जैसे SBIN0001234)।",
    ),
    "error.ifsc_needed": (
        "Enter the IFSC of the branch that holds this account.",
        "जिस शाखा में यह खाता है उसका आईएफ़एससी डालें।",
    ),
    "error.account_needed": (
        "Enter the account number that goes with this IFSC.",
        "इस आईएफ़एससी वाली खाता संख्या डालें।",
    ),
    "error.relation": ("Choose the nominee's relation to you.", "नामांकित व्यक्ति से अपना संबंध चुनें।"),
    # Before sign-in: the language chosen on /login, /signup, /join and the password page (issue 16)
    "public.tagline": (
        "Chit funds you can trust: every rupee balanced, every draw provable.",
        "भरोसेमंद चिट फंड: हर रुपये का हिसाब, हर ड्रॉ का सबूत।",
    ),
    "public.mobile": ("Mobile number", "मोबाइल नंबर"),
    "public.mobile_hint": ("10-digit mobile", "10 अंकों का मोबाइल"),
    "public.password": ("Password", "पासवर्ड"),
    "public.sign_in": ("Sign in", "साइन इन करें"),
    "public.code_mobile": ("Mobile number for a sign-in code", "साइन-इन कोड के लिए मोबाइल नंबर"),
    "public.send_code": ("Send code", "कोड भेजें"),
    "public.code": ("6-digit code", "6 अंकों का कोड"),
    "public.sign_in_code": ("Sign in with code", "कोड से साइन इन करें"),
    "public.use_password": ("Use password", "पासवर्ड से साइन इन"),
    "public.code_sent": (
        "If this number has an account, a 6-digit code is on its way.",
        "अगर इस नंबर का खाता है, तो 6 अंकों का कोड भेजा जा रहा है।",
    ),
    "public.too_many": (
        "Too many attempts from this connection. Wait a few minutes and try again.",
        "इस कनेक्शन से बहुत सारे प्रयास हुए। कुछ मिनट रुककर फिर कोशिश करें।",
    ),
    "public.foreman_q": ("Running chit groups?", "चिट समूह चलाते हैं?"),
    "public.create_foreman": ("Create a foreman account", "फ़ोरमैन खाता बनाएँ"),
    "public.your_name": ("Your name", "आपका नाम"),
    "public.new_password": (
        "Password (8+ characters, a letter and a digit)",
        "पासवर्ड (8+ अक्षर, एक अक्षर और एक अंक)",
    ),
    "public.repeat_password": ("Repeat password", "पासवर्ड दोबारा लिखें"),
    "public.create_account": ("Create account", "खाता बनाएँ"),
    "public.signup_mobile": (
        "Your mobile number (we text it a code)",
        "आपका मोबाइल नंबर (इस पर कोड भेजा जाएगा)",
    ),
    "public.signup_code_sent": (
        "We sent a text to {mobile}. Enter the code from it below. If the text says this number already "
        "has an account, sign in instead.",
        "हमने {mobile} पर एक संदेश भेजा है। उसमें आया कोड नीचे लिखें। अगर संदेश कहता है कि इस नंबर का "
        "खाता पहले से है, तो साइन इन करें।",
    ),
    "public.signup_code": ("6-digit code from the text", "संदेश में आया 6 अंकों का कोड"),
    "public.code_first": ("Send a code to your mobile number first.", "पहले अपने मोबाइल नंबर पर कोड भेजें।"),
    "public.other_number": ("Use a different number", "दूसरा नंबर इस्तेमाल करें"),
    "public.back_to_sign_in": ("Back to sign in", "साइन इन पर वापस"),
    "public.mismatch": ("The two passwords do not match.", "दोनों पासवर्ड मेल नहीं खाते।"),
    "password.title": ("Choose your password", "अपना पासवर्ड चुनें"),
    "password.one_time": (
        "You signed in with a one-time password. Choose your own to continue.",
        "आपने एक बार के पासवर्ड से साइन इन किया है। आगे बढ़ने के लिए अपना पासवर्ड चुनें।",
    ),
    "password.current": ("Current (one-time) password", "मौजूदा (एक बार का) पासवर्ड"),
    "password.new": ("New password", "नया पासवर्ड"),
    "password.repeat": ("Repeat new password", "नया पासवर्ड दोबारा लिखें"),
    "password.save": ("Save password", "पासवर्ड सहेजें"),
    "password.mismatch": ("The two new passwords do not match.", "दोनों नए पासवर्ड मेल नहीं खाते।"),
    "public.forgot": ("Forgot your password?", "पासवर्ड भूल गए?"),
    "reset.title": ("Reset your password", "अपना पासवर्ड फिर से बनाएँ"),
    "reset.intro": (
        "We text a 6-digit code to the mobile number of your account. Enter it with a new password.",
        "हम आपके खाते के मोबाइल नंबर पर 6 अंकों का कोड भेजेंगे। उसे नए पासवर्ड के साथ लिखें।",
    ),
    "reset.mobile": ("Mobile number of your account", "आपके खाते का मोबाइल नंबर"),
    "reset.sent": (
        "If {mobile} has an account, a code is on its way. It expires in 10 minutes.",
        "अगर {mobile} का खाता है, तो कोड भेजा जा रहा है। यह 10 मिनट में समाप्त हो जाएगा।",
    ),
    "reset.save": ("Save and sign in", "सहेजें और साइन इन करें"),
    "remind.subject": ("Payment reminder: {group}", "भुगतान अनुस्मारक: {group}"),
    "remind.before": (
        "Hello {name}, your {group} installment (ticket {ticket}) of {amount} is due on {date}. "
        "Pay here: {link}",
        "नमस्ते {name}, {group} (टिकट {ticket}) की आपकी किस्त {amount} {date} को देय है। यहाँ भुगतान करें: {link}",
    ),
    "remind.today": (
        "Hello {name}, your {group} installment (ticket {ticket}) of {amount} is due today. Pay here: {link}",
        "नमस्ते {name}, {group} (टिकट {ticket}) की आपकी किस्त {amount} आज देय है। यहाँ भुगतान करें: {link}",
    ),
    "remind.late": (
        "Hello {name}, your {group} installment (ticket {ticket}) is {days} days late. {amount} is due "
        "now, late fees included. Pay here: {link}",
        "नमस्ते {name}, {group} (टिकट {ticket}) की आपकी किस्त {days} दिन से बकाया है। विलंब शुल्क सहित "
        "अभी {amount} देय है। यहाँ भुगतान करें: {link}",
    ),
    "join.run_by": ("Run by", "संचालक:"),
    "join.instalments_of": ("instalments of", "किस्तें, हर किस्त"),
    "join.seats_left": ("seats left", "सीटें बाकी"),
    "join.submit": ("Create account and ask to join", "खाता बनाएँ और शामिल होने का अनुरोध भेजें"),
    "join.ask": ("Ask to join this group", "इस समूह में शामिल होने का अनुरोध करें"),
    "join.have_account": ("I already have an account: sign in", "मेरा खाता पहले से है: साइन इन करें"),
    "join.sent": (
        "Your request to join has been sent to the foreman.",
        "शामिल होने का आपका अनुरोध फ़ोरमैन को भेज दिया गया है।",
    ),
    "label.name": ("Name", "नाम"),
    "error.bad_login": ("Mobile number or password is incorrect.", "मोबाइल नंबर या पासवर्ड गलत है।"),
    "error.password_enter": ("Enter your password.", "अपना पासवर्ड डालें।"),
    "error.password_current": ("Current password is incorrect.", "मौजूदा पासवर्ड गलत है।"),
    "error.password_same": (
        "Choose a new password different from the current one.",
        "मौजूदा पासवर्ड से अलग नया पासवर्ड चुनें।",
    ),
    "error.password_text": ("Password must be text.", "पासवर्ड अक्षरों में होना चाहिए।"),
    "error.password_bytes": ("Password must be at most 72 bytes.", "पासवर्ड अधिकतम 72 बाइट का हो सकता है।"),
    "error.password_mix": (
        "Password needs at least one letter and one digit.",
        "पासवर्ड में कम से कम एक अक्षर और एक अंक होना चाहिए।",
    ),
    "error.mobile_enter": ("Enter a 10-digit mobile number.", "10 अंकों का मोबाइल नंबर डालें।"),
    "error.mobile_valid": (
        "Enter a valid 10-digit Indian mobile number (it starts with 6, 7, 8 or 9).",
        "सही 10 अंकों का भारतीय मोबाइल नंबर डालें (यह 6, 7, 8 या 9 से शुरू होता है)।",
    ),
    "error.account_exists": (
        "An account with this mobile number already exists. Sign in instead.",
        "इस मोबाइल नंबर का खाता पहले से है। साइन इन करें।",
    ),
    "error.codes_too_many": (
        "Too many codes requested. Wait 15 minutes and try again.",
        "बहुत सारे कोड माँगे गए। 15 मिनट रुककर फिर कोशिश करें।",
    ),
    "error.code_enter": ("Enter the 6-digit code.", "6 अंकों का कोड डालें।"),
    "error.code_wrong": ("That code is wrong or has expired.", "यह कोड गलत है या उसकी समय-सीमा खत्म हो गई है।"),
    "error.invite_invalid": ("That invite link is not valid.", "यह आमंत्रण लिंक मान्य नहीं है।"),
    "error.invite_closed": (
        "That invite link is not valid or the group is no longer taking members.",
        "यह आमंत्रण लिंक मान्य नहीं है या समूह अब सदस्य नहीं ले रहा है।",
    ),
    "error.join_forming_only": (
        "Members can join only while the group is forming.",
        "सदस्य केवल तभी शामिल हो सकते हैं जब समूह बन रहा हो।",
    ),
    "error.join_asked": (
        "You have already asked to join this group.",
        "आप इस समूह में शामिल होने का अनुरोध पहले ही कर चुके हैं।",
    ),
    "error.join_staff_mobile": (
        "This mobile number belongs to a foreman, staff or admin account.",
        "यह मोबाइल नंबर किसी फ़ोरमैन, स्टाफ़ या एडमिन खाते का है।",
    ),
    # The verify page: a passed check's detail from the verifier (luckychit_app/verify.py writes
    # English with "(s)"), in the reader's language with the noun in the singular or the plural.
    "verify.eligible_one": ("eligible ticket", "पात्र टिकट"),
    "verify.paste_label": ("Proof to check (JSON)", "जाँचने के लिए प्रमाण (JSON)"),
    "verify.proof_sha": ("Proof SHA-256:", "प्रमाण का SHA-256:"),
    "verify.eligible_many": ("eligible tickets", "पात्र टिकट"),
    "vcheck.version": (
        "version {version}, {algorithm}, kind {kind}",
        "संस्करण {version}, {algorithm}, प्रकार {kind}",
    ),
    "vcheck.commitment": (
        "sha256(server_seed) equals the commitment published before the draw",
        "sha256(server_seed) ड्रॉ से पहले प्रकाशित प्रतिबद्धता के बराबर है",
    ),
    "vcheck.eligible_one": (
        "{n} eligible ticket, sorted and unique; hash matches",
        "{n} पात्र टिकट, क्रम में और बिना दोहराव; हैश मेल खाता है",
    ),
    "vcheck.eligible_many": (
        "{n} eligible tickets, sorted and unique; hash matches",
        "{n} पात्र टिकट, क्रम में और बिना दोहराव; हैश मेल खाता है",
    ),
    "vcheck.phrases_one": ("recomputed from {n} phrase", "{n} वाक्य से दोबारा गणना की गई"),
    "vcheck.phrases_many": ("recomputed from {n} phrases", "{n} वाक्यों से दोबारा गणना की गई"),
    "vcheck.phrases_one_public": (
        "recomputed from {n} phrase and a public value",
        "{n} वाक्य और एक सार्वजनिक मान से दोबारा गणना की गई",
    ),
    "vcheck.phrases_many_public": (
        "recomputed from {n} phrases and a public value",
        "{n} वाक्यों और एक सार्वजनिक मान से दोबारा गणना की गई",
    ),
    "vcheck.steps_one": (
        "{n} HMAC step replayed ({rejected} rejected); x mod {size} = {index}; acceptance limit {limit}",
        "{n} HMAC चरण दोहराया गया ({rejected} अस्वीकृत); x mod {size} = {index}; स्वीकृति सीमा {limit}",
    ),
    "vcheck.steps_many": (
        "{n} HMAC steps replayed ({rejected} rejected); x mod {size} = {index}; acceptance limit {limit}",
        "{n} HMAC चरण दोहराए गए ({rejected} अस्वीकृत); x mod {size} = {index}; स्वीकृति सीमा {limit}",
    ),
    "vcheck.single": (
        "only one eligible ticket: it takes the prize without a draw",
        "केवल एक पात्र टिकट: उसे बिना ड्रॉ के इनाम मिलता है",
    ),
    "vcheck.winner": (
        "ticket {ticket} (member {member}) is eligible[{index}]",
        "टिकट {ticket} (सदस्य {member}) eligible[{index}] है",
    ),
    "vcheck.timestamps": (
        "committed_at < cutoff_at <= frozen_at <= drawn_at <= revealed_at",
        "समय-क्रम सही: committed_at < cutoff_at <= frozen_at <= drawn_at <= revealed_at",
    ),
    "kyc.none": ("Not submitted", "जमा नहीं किया"),
    "kyc.submitted": ("Submitted, awaiting the foreman", "जमा किया, फ़ोरमैन की पुष्टि बाकी"),
    "kyc.verified": ("Verified", "सत्यापित"),
    "kyc.rejected": ("Rejected: please submit again", "अस्वीकृत: कृपया फिर से जमा करें"),
    # The chit agreement (issue 19, item 5; services/paperwork/agreement.py).
    "agreement.title": (
        "Chit agreement",
        "चिट समझौता",
    ),
    "agreement.intro": (
        ("The particulars of the chit agreement under section 6(1) of the Chit Funds Act, 1982."),
        "चिट फंड अधिनियम, 1982 की धारा 6(1) के अनुसार चिट समझौते का विवरण।",
    ),
    "agreement.to_be_fixed": (
        "To be announced by the foreman",
        "फ़ोरमैन द्वारा बताया जाएगा",
    ),
    "agreement.period_monthly": (
        "monthly",
        "मासिक",
    ),
    "agreement.period_fortnightly": (
        "every fortnight",
        "हर पखवाड़े",
    ),
    "agreement.period_weekly": (
        "every week",
        "हर सप्ताह",
    ),
    "agreement.draw_monthly": (
        "On day {day} of every month",
        "हर महीने की {day} तारीख़ को",
    ),
    "agreement.draw_every": (
        "On each instalment's due date ({period})",
        "हर किस्त की देय तिथि को ({period})",
    ),
    "agreement.form_cash": (
        "Cash in an approved bank",
        "स्वीकृत बैंक में नकद जमा",
    ),
    "agreement.form_bank_guarantee": (
        "Bank guarantee",
        "बैंक गारंटी",
    ),
    "agreement.form_govt_securities": (
        "Government securities",
        "सरकारी प्रतिभूतियाँ",
    ),
    "agreement.form_other": (
        "Other trustee securities",
        "अन्य ट्रस्टी प्रतिभूतियाँ",
    ),
    "agreement.instalments": (
        "Instalments and late payment",
        "किस्तें और देर से भुगतान",
    ),
    "agreement.v_instalments": (
        "{n} instalments, {period}, of {amount} per ticket. {late}",
        "{n} किस्तें, {period}, हर टिकट पर {amount}। {late}",
    ),
    "agreement.late_flat": (
        "Late fee {amount} after {days} days' grace.",
        "{days} दिन की छूट के बाद {amount} विलंब शुल्क।",
    ),
    "agreement.late_interest": (
        "Interest of {rate} a month on overdue dues after {days} days' grace.",
        "{days} दिन की छूट के बाद बकाया पर {rate} मासिक ब्याज।",
    ),
    "agreement.late_none": (
        "No late fee.",
        "कोई विलंब शुल्क नहीं।",
    ),
    "agreement.duration": (
        "Commencement and termination",
        "आरंभ और समाप्ति",
    ),
    "agreement.v_duration": (
        "From {start} to {end}: {n} instalments.",
        "{start} से {end} तक: {n} किस्तें।",
    ),
    "agreement.prized_how": (
        "How the prized subscriber is chosen",
        "इनामी सदस्य कैसे चुना जाता है",
    ),
    "agreement.v_lucky": (
        ("By lot (lucky draw) at each instalment, among the tickets not yet prized."),
        ("हर किस्त पर लॉटरी (लकी ड्रॉ) से, उन टिकटों में जिन्हें अभी इनाम नहीं मिला।"),
    ),
    "agreement.v_auction": (
        ("By auction at each instalment: the highest discount wins; equal bids are decided by lot."),
        ("हर किस्त पर नीलामी से: सबसे ज़्यादा छूट देने वाला जीतता है; बराबर बोली पर लॉटरी।"),
    ),
    "agreement.max_discount": (
        "Maximum discount",
        "अधिकतम छूट",
    ),
    "agreement.v_max_discount": (
        "{rate} of the chit amount ({amount}).",
        "चिट राशि का {rate} ({amount})।",
    ),
    "agreement.v_na": (
        "Not applicable: the prize goes by lot, with no discount.",
        "लागू नहीं: इनाम लॉटरी से, बिना छूट के।",
    ),
    "agreement.discount_use": (
        "Dividend and foreman's commission",
        "लाभांश और फ़ोरमैन का कमीशन",
    ),
    "agreement.v_commission": (
        (
            "The foreman's commission is {rate} of the chit amount ({amount}) at "
            "each instalment, out of the discount; the rest of the discount is "
            "shared equally per ticket as dividend. {gst}"
        ),
        (
            "हर किस्त पर फ़ोरमैन का कमीशन चिट राशि का {rate} ({amount}) है, जो छूट "
            "में से लिया जाता है; बाकी छूट हर टिकट में बराबर लाभांश के रूप में "
            "बँटती है। {gst}"
        ),
    ),
    "agreement.gst_prize": (
        "GST on the commission is recovered from the prize amount.",
        "कमीशन पर GST इनाम राशि से वसूला जाता है।",
    ),
    "agreement.gst_foreman": (
        "GST on the commission is borne by the foreman.",
        "कमीशन पर GST फ़ोरमैन वहन करता है।",
    ),
    "agreement.draws": (
        "Date, time and place of the draws",
        "ड्रॉ की तारीख़, समय और स्थान",
    ),
    "agreement.v_draws": (
        "{when}; time: {time}; place: {place}.",
        "{when}; समय: {time}; स्थान: {place}।",
    ),
    "agreement.foreman_chit": (
        "The foreman's chit",
        "फ़ोरमैन का चिट",
    ),
    "agreement.v_foreman_first": (
        "The foreman takes the chit amount at the first instalment.",
        "फ़ोरमैन पहली किस्त पर चिट राशि लेता है।",
    ),
    "agreement.v_foreman_none": (
        "The foreman holds no ticket of their own in this chit.",
        "इस चिट में फ़ोरमैन का अपना कोई टिकट नहीं है।",
    ),
    "agreement.bank": (
        "Approved bank for the chit money",
        "चिट राशि के लिए स्वीकृत बैंक",
    ),
    "agreement.consequences": (
        "Late payment and the prized subscriber's security",
        "देर से भुगतान और इनामी सदस्य की ज़मानत",
    ),
    "agreement.v_consequences": (
        (
            "{late} {forfeit} A prized subscriber gives security for the "
            "instalments still to pay before the prize is paid."
        ),
        ("{late} {forfeit} इनामी सदस्य इनाम राशि मिलने से पहले बची किस्तों के लिए ज़मानत देता है।"),
    ),
    "agreement.v_forfeit": (
        ("A ticket in arrears when an instalment's dividend is shared gets no dividend that month."),
        ("जिस महीने लाभांश बँटते समय टिकट पर बकाया हो, उस महीने उसे लाभांश नहीं मिलता।"),
    ),
    "agreement.v_no_forfeit": (
        "A ticket in arrears still gets its dividend.",
        "बकाया वाले टिकट को भी लाभांश मिलता है।",
    ),
    "agreement.default": (
        "Default and removal",
        "चूक और हटाया जाना",
    ),
    "agreement.v_default": (
        (
            "A subscriber with {n} unpaid instalments is a defaulter. A removed "
            "non-prized subscriber's contributions are refunded less {rate} of the "
            "chit amount ({amount}), {refund}."
        ),
        (
            "{n} किस्तें बकाया होने पर सदस्य चूककर्ता माना जाता है। हटाए गए "
            "गैर-इनामी सदस्य का अंशदान चिट राशि का {rate} ({amount}) काटकर लौटाया "
            "जाता है, {refund}।"
        ),
    ),
    "agreement.refund_close": (
        "when the chit ends",
        "चिट समाप्त होने पर",
    ),
    "agreement.refund_substitution": (
        "when a substitute takes the ticket",
        "जब कोई दूसरा सदस्य टिकट ले",
    ),
    "agreement.security": (
        "The foreman's security",
        "फ़ोरमैन की ज़मानत",
    ),
    "agreement.inspection": (
        "Inspection of the chit records",
        "चिट अभिलेखों का निरीक्षण",
    ),
    "agreement.subscribers": (
        "Subscribers and their tickets",
        "सदस्य और उनके टिकट",
    ),
    "agreement.dues": (
        "Instalment due dates",
        "किस्तों की देय तिथियाँ",
    ),
    "agreement.signatures": (
        "Signatures",
        "हस्ताक्षर",
    ),
    "agreement.foreman": (
        "Foreman",
        "फ़ोरमैन",
    ),
    "agreement.witness": (
        "Witness",
        "गवाह",
    ),
    "agreement.download": (
        "Download the agreement (PDF)",
        "समझौता डाउनलोड करें (PDF)",
    ),
    "agreement.chit_value": (
        "Chit amount",
        "चिट राशि",
    ),
    "rights.title": (
        "My data",
        "मेरा डेटा",
    ),
    "rights.intro": (
        (
            "The Digital Personal Data Protection Act, 2023 lets you have a copy of your data "
            "and ask for it to be erased."
        ),
        ("डिजिटल व्यक्तिगत डेटा संरक्षण अधिनियम, 2023 के तहत आप अपने डेटा की प्रति ले सकते हैं और उसे मिटाने को कह सकते हैं।"),
    ),
    "rights.download": (
        "Download my data",
        "मेरा डेटा डाउनलोड करें",
    ),
    "rights.erase": (
        "Erase my data",
        "मेरा डेटा मिटाएँ",
    ),
    "rights.confirm_title": (
        "Erase your personal data?",
        "अपना व्यक्तिगत डेटा मिटाएँ?",
    ),
    "rights.confirm_body": (
        (
            "Your name, mobile, email, address and KYC will be removed and you will be signed "
            "out for good. Your payments stay in the foreman's books under a pseudonym, as "
            "the law requires. This cannot be undone."
        ),
        (
            "आपका नाम, मोबाइल, ईमेल, पता और KYC हटा दिए जाएँगे और आप हमेशा के लिए साइन आउट हो "
            "जाएँगे। कानून के अनुसार आपके भुगतान फोरमैन की बहियों में एक छद्म नाम से रहेंगे। "
            "यह वापस नहीं होगा।"
        ),
    ),
    "rights.confirm": (
        "Yes, erase",
        "हाँ, मिटाएँ",
    ),
    "rights.cancel": (
        "Cancel",
        "रद्द करें",
    ),
    "rights.cannot_erase": (
        "Your data cannot be erased yet.",
        "आपका डेटा अभी मिटाया नहीं जा सकता।",
    ),
    "rights.block_dues": (
        "You have unpaid dues. Pay them first.",
        "आपकी बकाया किस्तें हैं। पहले उन्हें चुकाएँ।",
    ),
    "rights.block_group": (
        "Your group is not closed yet: {groups}.",
        "आपका समूह अभी बंद नहीं हुआ: {groups}।",
    ),
    "rights.block_prize": (
        "A prize is still to be paid to you.",
        "आपको एक पुरस्कार राशि अभी दी जानी है।",
    ),
    "rights.block_refund": (
        "A refund is still to be paid to you.",
        "आपको एक रिफंड अभी दिया जाना है।",
    ),
    "rights.block_payment": (
        "A payment of yours is waiting for confirmation.",
        "आपका एक भुगतान पुष्टि की प्रतीक्षा में है।",
    ),
    "rights.block_query": (
        "You have an open query. Close it first.",
        "आपकी एक पूछताछ खुली है। पहले उसे बंद करें।",
    ),
    "rights.block_join": (
        "A request of yours to join a group is waiting for the foreman.",
        "समूह में शामिल होने का आपका अनुरोध फोरमैन के पास लंबित है।",
    ),
    "rights.block_invoice": (
        (
            "A tax invoice issued to you must be kept with your name until {until} ({years} "
            "years, tax law). You can erase your data after that."
        ),
        (
            "आपको जारी टैक्स इनवॉइस आपके नाम के साथ {until} तक रखना ज़रूरी है ({years} वर्ष, "
            "कर कानून)। उसके बाद आप अपना डेटा मिटा सकते हैं।"
        ),
    ),
    "notify.data_erased": (
        "A member's personal data was erased ({alias})",
        "एक सदस्य का व्यक्तिगत डेटा मिटाया गया ({alias})",
    ),
    "notify.data_erased_body": (
        "Their tickets and payments stay in the books under this pseudonym.",
        "उनके टिकट और भुगतान इसी छद्म नाम से बहियों में रहेंगे।",
    ),
}


TABLES: dict[str, dict[str, str]] = {
    "en": {key: en for key, (en, _hi) in STRINGS.items()},
    "hi": {key: hi for key, (_en, hi) in STRINGS.items()},
    "ta": ta.TEXT,
    "te": te.TEXT,
    "kn": kn.TEXT,
    "ml": ml.TEXT,
}
"""Every language's table, keyed as `locales.CODES` (tests/test_i18n.py: each has every key)."""
assert tuple(TABLES) == CODES, "a language in locales.LANGUAGES needs its table here"


def template(lang: str, key: str) -> str:
    """The text of `key` in `lang`, unfilled; English for a language we do not have, and for a key a
    table still lacks (a key added in English only shows English rather than failing the page:
    tests/test_i18n.py fails the build for it instead)."""
    return TABLES.get(lang, TABLES[DEFAULT]).get(key) or STRINGS[key][0]


def text(lang: str, key: str, **values: object) -> str:
    chosen = template(lang, key)
    return chosen.format(**values) if values else chosen


# A passed check's detail as the verifier (luckychit_app/verify.py, standard library only) writes it:
# (pattern, key); a key ending in "_" takes "one" or "many" from the count `n`.
_CHECK_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"version (?P<version>\d+), (?P<algorithm>\S+), kind (?P<kind>[\w-]+)", "vcheck.version"),
        (r"sha256\(server_seed\) equals the commitment published before the draw", "vcheck.commitment"),
        (r"(?P<n>\d+) eligible ticket\(s\), sorted and unique; hash matches", "vcheck.eligible_"),
        (r"recomputed from (?P<n>\d+) phrase\(s\)", "vcheck.phrases_"),
        (r"recomputed from (?P<n>\d+) phrase\(s\) and a public value", "vcheck.phrases_public_"),
        (
            r"(?P<n>\d+) HMAC step\(s\) replayed \((?P<rejected>\d+) rejected\); x mod (?P<size>\d+) = "
            r"(?P<index>\d+); acceptance limit (?P<limit>\d+)",
            "vcheck.steps_",
        ),
        (r"only one eligible ticket: it takes the prize without a draw", "vcheck.single"),
        (r"ticket (?P<ticket>\d+) \(member (?P<member>.*)\) is eligible\[(?P<index>\d+)\]", "vcheck.winner"),
        (r"committed_at < cutoff_at <= frozen_at <= drawn_at <= revealed_at", "vcheck.timestamps"),
    )
)


def check_detail(lang: str, detail: str) -> str:
    """A passed check's detail from the verifier in `lang`, its noun in the singular or the plural
    ("1 eligible ticket", "8 eligible tickets"; Hindi "1 वाक्य से", "3 वाक्यों से"; Tamil "1 சொற்றொடர்",
    "3 சொற்றொடர்கள்"). A detail of another shape (a failed check's technical reason) is returned as
    the verifier wrote it."""
    for pattern, key in _CHECK_DETAILS:
        found = pattern.fullmatch(detail)
        if found:
            values = found.groupdict()
            if key.endswith("_"):
                number = "one" if values["n"] == "1" else "many"
                key = key.replace("public_", f"{number}_public") if "public" in key else key + number
            return text(lang, key, **values)
    return detail


def _exact_messages() -> dict[str, str]:
    """English text -> its key, for fixed messages (no placeholders) raised by services in English
    (the last key wins where two keys share an English text, as it always has)."""
    exact: dict[str, str] = {}
    for key, (en, _hi) in STRINGS.items():
        if "{" not in en:
            exact[en] = key
    return exact


def _shaped_messages() -> list[tuple[re.Pattern[str], str]]:
    """("{label} is required." -> a regex with named groups, key) for the error keys with values."""
    shapes = []
    for key, (en, _hi) in STRINGS.items():
        if key.startswith("error.") and "{" in en:
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(en))
            shapes.append((re.compile(f"^{pattern}$"), key))
    return shapes


_EXACT = _exact_messages()
_SHAPES = _shaped_messages()


def message(lang: str, english: str) -> str:
    """A message a service raised in English, in the user's language when the table has it (service
    errors are shared with the foreman's English pages, so they stay English at the source)."""
    if lang == DEFAULT or lang not in TABLES:
        return english
    if english in _EXACT:
        return text(lang, _EXACT[english])
    for shape, key in _SHAPES:
        found = shape.match(english)
        if found:
            # labels too ("Subject" in "Subject must be at least 3 characters.")
            values = {k: text(lang, _EXACT[v]) if v in _EXACT else v for k, v in found.groupdict().items()}
            return text(lang, key, **values)
    # "Amount: The amount must be more than ₹0." (a field label, then a domain message)
    label, sep, rest = english.partition(": ")
    if sep and label in _EXACT:
        translated = message(lang, rest)
        if translated != rest:
            return f"{text(lang, _EXACT[label])}: {translated}"
    return english
