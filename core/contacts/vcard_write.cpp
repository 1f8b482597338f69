// vCard writer: RFC 2426 (3.0) and RFC 6350 (4.0). Every line ends in CRLF and is folded so no
// physical line exceeds 75 octets (RFC 6350 3.2, RFC 2426 2.6), never inside a UTF-8 sequence
// (RFC 6350 3.2: "multi-octet characters ... MUST NOT be split").
#include "contacts/vcard.h"

#include "contacts/vcard_text.h"

namespace vphone::contacts {

using namespace vcard_detail;

namespace {

constexpr qsizetype kFoldOctets = 75;

/// Appends `line` with CRLF, folded: continuation lines start with one space, which counts
/// towards their 75 octets.
void appendFolded(QByteArray& out, const QByteArray& line)
{
    qsizetype pos = 0;
    qsizetype limit = kFoldOctets;
    while (line.size() - pos > limit) {
        qsizetype cut = pos + limit;
        // Back off to the first byte of the character (UTF-8 continuation bytes are 10xxxxxx).
        while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
            --cut;
        out.append(line.constData() + pos, cut - pos);
        out.append("\r\n ");
        pos = cut;
        limit = kFoldOctets - 1;
    }
    out.append(line.constData() + pos, line.size() - pos);
    out.append("\r\n");
}

/// Writes TEL or IMPP lines with their labels: a vCard TYPE when the label is one, else an
/// Apple-style group (`item1.TEL` + `item1.X-ABLabel`), which Apple, Google and we read back.
class LabelledWriter {
public:
    explicit LabelledWriter(QByteArray& out) : out_(out) {}

    void write(const QByteArray& name, const QString& label, const QByteArray& value)
    {
        if (label.isEmpty()) {
            appendFolded(out_, name + ':' + value);
        } else if (isTypeLabel(label)) {
            appendFolded(out_, name + ";TYPE=" + label.toUtf8() + ':' + value);
        } else {
            const QByteArray group = "item" + QByteArray::number(++groups_);
            appendFolded(out_, group + '.' + name + ':' + value);
            appendFolded(out_, group + ".X-ABLabel:" + escapeText(label).toUtf8());
        }
    }

private:
    QByteArray& out_;
    int groups_ = 0;
};

/// `mime` when it is a plain "type/subtype" token pair, else empty: the value goes into a
/// parameter or a data: URI, where ';', ',' or ':' would break the line for a reader.
QString safeMime(const QString& mime)
{
    const QString lower = mime.toLower();
    const qsizetype slash = lower.indexOf(u'/');
    if (slash <= 0 || slash + 1 == lower.size()) return {};
    for (QChar c : lower) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'+' ||
                        c == u'-' || c == u'/';
        if (!ok) return {};
    }
    return lower;
}

} // namespace

QByteArray writeVCard(const Contact& contact, VCardVersion version)
{
    const bool v4 = version == VCardVersion::V4;
    QByteArray out;
    out.reserve(256 + contact.photo.size() * 4 / 3 + contact.photo.size() / 50);
    auto text = [&out](const char* name, const QString& value) {
        appendFolded(out, QByteArray(name) + ':' + escapeText(value).toUtf8());
    };
    appendFolded(out, "BEGIN:VCARD");
    appendFolded(out, v4 ? "VERSION:4.0" : "VERSION:3.0"); // 4.0 wants it right after BEGIN
    appendFolded(out, "PRODID:-//vphone//vphone contacts//EN");
    // FN is required by both versions, N by 3.0 (RFC 2426 5.1): both always written.
    QString fn = contact.displayName;
    if (fn.trimmed().isEmpty()) fn = (contact.givenName + u' ' + contact.familyName).trimmed();
    if (fn.isEmpty() && !contact.phoneNumbers.isEmpty()) fn = contact.phoneNumbers.first().number;
    if (fn.isEmpty() && !contact.sipAddresses.isEmpty()) fn = contact.sipAddresses.first().uri;
    text("FN", fn);
    appendFolded(out, "N:" + escapeText(contact.familyName).toUtf8() + ';' +
                          escapeText(contact.givenName).toUtf8() + ";;;");
    if (!contact.organisation.isEmpty()) text("ORG", contact.organisation);
    if (!contact.note.isEmpty()) text("NOTE", contact.note);

    LabelledWriter labelled(out);
    // TEL stays free text in 4.0 too (allowed by RFC 6350 6.4.1): a tel: URI has no room for the
    // spaces people type, and the number must read back exactly as stored.
    for (const PhoneNumber& number : contact.phoneNumbers)
        labelled.write("TEL", number.label, escapeText(number.number).toUtf8());
    // IMPP (RFC 4770 for 3.0, RFC 6350 6.4.3) holds a URI, which is not backslash-escaped.
    for (const SipAddress& address : contact.sipAddresses)
        labelled.write("IMPP", address.label, address.uri.toUtf8());

    if (!contact.photo.isEmpty()) {
        const QByteArray base64 = contact.photo.toBase64();
        const QString mime = safeMime(contact.photoMimeType);
        if (v4) {
            // RFC 6350 6.2.4: a data: URI (RFC 2397).
            appendFolded(out, "PHOTO:data:" + mime.toUtf8() + ";base64," + base64);
        } else {
            // RFC 2426 3.1.4: ENCODING=b with the image type as TYPE (JPEG, PNG...).
            QByteArray line = "PHOTO;ENCODING=b";
            if (mime.startsWith(u"image/") && mime.size() > 6)
                line += ";TYPE=" + mime.mid(6).toUpper().toUtf8();
            appendFolded(out, line + ':' + base64);
        }
    }
    // Our own extensions (RFC 6350 6.10 x-name), so a backup restores these flags too.
    if (contact.favourite) appendFolded(out, "X-VPHONE-FAVOURITE:1");
    if (contact.blf) appendFolded(out, "X-VPHONE-BLF:1");
    appendFolded(out, "END:VCARD");
    return out;
}

QByteArray writeVCards(const QList<Contact>& contacts, VCardVersion version)
{
    QByteArray out;
    for (const Contact& contact : contacts)
        out += writeVCard(contact, version);
    return out;
}

} // namespace vphone::contacts
