"""投诉处理单 as PDF (A4): the complaint as recorded, then one row per gate — judged,
investigated, proposed, approved, implemented, accepted, feedback, reopened — with who,
when and what, and the customer's signature picture under the acceptance (or the phone
confirmation named). Words on the paper in Chinese or English (no Flask here)."""
from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from printing.documents import ComplaintReport
from printing.pdf_page import Section
from printing.pdf_parts import Sheet, barcode, details, heading, para, right_stack, signatures
from printing.pdf_parts import signature_flowable as signature_picture
from printing.pdf_table import Column, data_table

Story = list[Flowable]

WORDS: dict[str, tuple[str, str]] = {
    "complaint_report": ("投诉处理单", "Complaint report"),
    "number": ("单号", "No."), "date": ("打印时间", "Printed"), "customer": ("客户", "Customer"),
    "phone": ("电话", "Phone"), "channel": ("来源", "Channel"), "category": ("类别", "Category"),
    "status": ("状态", "Status"), "recorded": ("登记", "Recorded"),
    "due": ("首次响应时限", "First response due"),
    "responded": ("首次响应", "First response"), "text": ("投诉内容", "Complaint"),
    "gate": ("环节", "Step"), "who": ("经办人", "By"), "at": ("时间", "When"),
    "what": ("内容", "What"), "sign": ("客户签名确认", "Customer's acceptance"),
    "by_phone": ("客户电话确认（接听人：%s）", "Confirmed by phone (call taken by %s)"),
    "rating": ("满意度", "Rating"), "reopened": ("重新打开次数", "Reopened"),
    "none": ("（尚未确认）", "(not yet accepted)"),
}
CODES: dict[str, tuple[str, str]] = {
    "visit": ("到店", "In the showroom"), "phone": ("电话", "Phone"),
    "online": ("网上", "Online"), "video": ("视频", "Video call"),
    "quality": ("质量", "Quality"), "service": ("服务", "Service"),
    "delivery": ("发货", "Delivery"), "price": ("价格", "Price"), "other": ("其他", "Other"),
    "recorded": ("已登记", "Recorded"), "judged": ("已判定", "Judged"),
    "investigated": ("已调查", "Investigated"), "proposed": ("已提出方案", "Solution proposed"),
    "approved": ("已批准", "Approved"), "implemented": ("已实施", "Implemented"),
    "accepted": ("客户已确认", "Accepted"), "closed": ("已结案", "Closed"),
    "judge": ("判定", "Judged"), "investigate": ("调查", "Investigated"),
    "propose": ("提出方案", "Proposed"), "approve": ("经理批准", "Approved"),
    "implement": ("实施", "Implemented"), "accept": ("客户确认", "Accepted"),
    "feedback": ("回访反馈", "Feedback"), "reopen": ("重新打开", "Reopened"),
}


def word(lang: str, key: str, table: dict[str, tuple[str, str]] = WORDS) -> str:
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def complaint_report(doc: ComplaintReport, sheet: Sheet) -> tuple[Story, str]:
    lang = doc.lang
    title = word(lang, "complaint_report")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    who = " ".join(p for p in (doc.customer.code, doc.customer.name) if p)
    pairs = [(word(lang, "number"), doc.number), (word(lang, "date"), doc.printed_at),
             (word(lang, "customer"), who), (word(lang, "phone"), doc.customer.phone_masked),
             (word(lang, "channel"), word(lang, doc.channel, CODES)),
             (word(lang, "category"), word(lang, doc.category, CODES)),
             (word(lang, "status"), word(lang, doc.status, CODES)),
             (word(lang, "recorded"), f"{doc.recorded_at} {doc.recorded_by}".strip()),
             (word(lang, "due"), doc.first_response_due),
             (word(lang, "responded"), doc.first_response_at or "—")]
    if doc.rating:
        pairs.append((word(lang, "rating"), f"{doc.rating} / 5"))
    if doc.reopen_count:
        pairs.append((word(lang, "reopened"), str(doc.reopen_count)))
    pairs.append((word(lang, "text"), doc.text))
    story.append(details(sheet, pairs, wide=(word(lang, "text"),)))
    gates = doc.gates
    if gates:
        story += [Spacer(1, 8), data_table([
            Column(word(lang, "gate"), [word(lang, g.step, CODES) for g in gates], "center"),
            Column(word(lang, "who"), [g.who for g in gates]),
            Column(word(lang, "at"), [g.at for g in gates], "center"),
            Column(word(lang, "what"), [g.what for g in gates], "flex"),
        ], sheet.width, sheet.size)]
    story.append(Spacer(1, 12))
    if doc.acceptance == "signature" and doc.signature_png:
        picture = signature_picture(sheet, doc.signature_png)
        story += [Spacer(1, sheet.size * 5), signatures(sheet, [(word(lang, "sign"), picture)])]
    elif doc.acceptance == "phone":
        accepted_by = next((g.who for g in gates if g.step == "accept"), "")
        story.append(para(word(lang, "by_phone") % accepted_by, sheet.size + 0.5))
    else:
        story.append(signatures(sheet, [(word(lang, "sign"), "")]))
    return story, f"{title} {doc.number}"
