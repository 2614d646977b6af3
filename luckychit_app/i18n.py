"""English and Hindi for member screens: one table. `text(lang, key, **values)` builds strings on
the server; `components.translate.t(key)` switches text in components on the user's language."""

from __future__ import annotations

import re

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
    "payments.overdue": (
        "{count} installment(s) overdue, oldest {days} days",
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
    "passbook.due": ("{amount} due", "{amount} देय"),
    "passbook.advance": ("{amount} advance", "{amount} अग्रिम"),
    "passbook.installment": ("Month {month} installment", "महीना {month} की किस्त"),
    "passbook.prize_won": ("Prize won in month {month}", "महीना {month} में जीता इनाम"),
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
        "Receipt numbers run without gaps for each foreman. Keep this receipt.",
        "हर फ़ोरमैन के रसीद नंबर बिना अंतराल के चलते हैं। यह रसीद संभाल कर रखें।",
    ),
    "receipt.line_installment": ("Month {month} installment", "महीना {month} की किस्त"),
    "receipt.line_late_fees": ("Late fees", "विलंब शुल्क"),
    "receipt.line_advance": ("Advance (for coming months)", "अग्रिम (आने वाले महीनों के लिए)"),
    "receipt.refund_done": ("Refund (done): {reason}", "राशि लौटाई (पूरा): {reason}"),
    "receipt.refund_progress": ("Refund (in progress): {reason}", "राशि वापसी (जारी): {reason}"),
    # Draws
    "draws.title": ("Draws", "ड्रॉ"),
    "draws.draw_title": ("Draw", "ड्रॉ"),
    "draws.your_tickets_list": ("Your ticket(s):", "आपके टिकट:"),
    "draws.open_live": ("Month {month}: open live page", "महीना {month}: लाइव पेज खोलें"),
    "draws.until": ("until", "तक"),
    "draws.commitment": ("commitment", "प्रतिबद्धता"),
    "draws.verify": ("Verify", "जाँचें"),
    "draws.no_groups": ("You are not in any group yet.", "आप अभी किसी समूह में नहीं हैं।"),
    "draws.in_person": ("in person", "स्वयं उपस्थित"),
    "draws.auction": ("Auction", "नीलामी"),
    "draws.best_bid": ("Best bid (discount)", "सबसे ऊँची बोली (छूट)"),
    "draws.bids_count": ("bid(s)", "बोलियाँ"),
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
    "draws.phrases_so_far": ("phrase(s) so far.", "वाक्य अब तक।"),
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
    "draws.unpaid": (
        "Ticket {n} has unpaid dues for month(s) {months}; pay them first to take part.",
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
    "queries.subject_payment": ("Payment {amount} · {group} · {date}", "भुगतान {amount} · {group} · {date}"),
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
    "verify.eligible": ("eligible ticket(s)", "पात्र टिकट"),
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
    "error.language": ("Choose English or Hindi.", "अंग्रेज़ी या हिन्दी चुनें।"),
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
    "kyc.none": ("Not submitted", "जमा नहीं किया"),
    "kyc.submitted": ("Submitted, awaiting the foreman", "जमा किया, फ़ोरमैन की पुष्टि बाकी"),
    "kyc.verified": ("Verified", "सत्यापित"),
    "kyc.rejected": ("Rejected: please submit again", "अस्वीकृत: कृपया फिर से जमा करें"),
}


def text(lang: str, key: str, **values: object) -> str:
    en, hi = STRINGS[key]
    template = hi if lang == "hi" else en
    return template.format(**values) if values else template


def _exact_messages() -> dict[str, str]:
    """English text -> Hindi, for fixed messages (no placeholders) raised by services in English."""
    return {en: hi for en, hi in STRINGS.values() if "{" not in en}


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
    if lang != "hi":
        return english
    if english in _EXACT:
        return _EXACT[english]
    for shape, key in _SHAPES:
        found = shape.match(english)
        if found:
            values = {k: _EXACT.get(v, v) for k, v in found.groupdict().items()}  # labels too
            return text("hi", key, **values)
    # "Amount: The amount must be more than ₹0." (a field label, then a domain message)
    label, sep, rest = english.partition(": ")
    if sep and label in _EXACT:
        translated = message(lang, rest)
        if translated != rest:
            return f"{_EXACT[label]}: {translated}"
    return english
