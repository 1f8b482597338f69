// vCard reader: RFC 2426 (3.0) and RFC 6350 (4.0). Three linear passes per card: physical lines
// are unfolded into logical lines (RFC 6350 3.2: CRLF or LF, then one space or tab, is removed),
// each logical line is split into group, name, parameters and value (RFC 6350 3.3), and the
// properties we know are mapped onto a Contact. Anything wrong with a card rejects that card only.
#include "contacts/vcard.h"

#include "contacts/vcard_text.h"

#include <QFile>
#include <QHash>

#include <optional>
#include <utility>
#include <variant>

namespace vphone::contacts {

using namespace vcard_detail;

namespace {

/// One unfolded line and the physical line it starts on.
struct Line {
    QByteArray text;
    int number = 0;
};

/// Yields logical lines; a logical line longer than the card limit is cut and flagged.
class LineReader {
public:
    explicit LineReader(QByteArrayView data) : data_(data) {}

    bool next(Line& out, bool& overflow)
    {
        if (pos_ >= data_.size()) return false;
        out.number = lineNo_ + 1;
        out.text.clear();
        overflow = false;
        appendPhysical(out.text, 0, overflow);
        while (pos_ < data_.size() && (data_[pos_] == ' ' || data_[pos_] == '\t'))
            appendPhysical(out.text, 1, overflow);
        return true;
    }

private:
    void appendPhysical(QByteArray& text, qsizetype skip, bool& overflow)
    {
        qsizetype end = pos_;
        while (end < data_.size() && data_[end] != '\n')
            ++end;
        qsizetype contentEnd = end;
        if (contentEnd > pos_ && data_[contentEnd - 1] == '\r') --contentEnd;
        const qsizetype length = contentEnd - pos_ - skip;
        if (length > 0) {
            if (text.size() + length > kVCardMaxCardBytes)
                overflow = true;
            else
                text.append(data_.data() + pos_ + skip, length);
        }
        pos_ = end < data_.size() ? end + 1 : end;
        ++lineNo_;
    }

    QByteArrayView data_;
    qsizetype pos_ = 0;
    int lineNo_ = 0;
};

/// A parsed content line: `group.NAME;PARAM=a,b:value`.
struct Property {
    QByteArray group;                                ///< lower-cased, empty when none
    QByteArray name;                                 ///< upper-cased
    QList<std::pair<QByteArray, QByteArray>> params; ///< upper-cased name, one unquoted value each
    QByteArray value;
    int line = 0;

    QList<QByteArray> paramValues(QByteArrayView key) const
    {
        QList<QByteArray> out;
        for (const auto& [k, v] : params)
            if (k == key) out.append(v);
        return out;
    }
    bool hasParam(QByteArrayView key, QByteArrayView value) const
    {
        for (const auto& [k, v] : params)
            if (k == key && v.compare(value, Qt::CaseInsensitive) == 0) return true;
        return false;
    }
};

bool isLine(const QByteArray& text, QByteArrayView expected)
{
    return text.trimmed().compare(expected, Qt::CaseInsensitive) == 0;
}

/// Splits a content line (RFC 6350 3.3). Quoted parameter values may hold ':', ';' and ','.
std::variant<Property, QString> splitProperty(const Line& line)
{
    const QByteArray& t = line.text;
    qsizetype colon = -1;
    bool quoted = false;
    for (qsizetype i = 0; i < t.size(); ++i) {
        if (t[i] == '"')
            quoted = !quoted;
        else if (t[i] == ':' && !quoted) {
            colon = i;
            break;
        }
    }
    if (colon < 0) return QStringLiteral("property without ':'");
    Property p;
    p.line = line.number;
    p.value = t.mid(colon + 1);
    // Parameters: split on unquoted ';', then each value list on unquoted ','.
    QList<QByteArray> parts;
    QByteArray current;
    quoted = false;
    for (qsizetype i = 0; i < colon; ++i) {
        const char c = t[i];
        if (c == '"')
            quoted = !quoted;
        else if (c == ';' && !quoted)
            parts.append(std::exchange(current, {}));
        else
            current.append(c);
    }
    parts.append(current);
    QByteArray name = parts.takeFirst().trimmed();
    if (const qsizetype dot = name.lastIndexOf('.'); dot >= 0) {
        p.group = name.left(dot).toLower();
        name = name.mid(dot + 1);
    }
    if (name.isEmpty()) return QStringLiteral("property without a name");
    p.name = name.toUpper();
    for (const QByteArray& part : parts) {
        const qsizetype eq = part.indexOf('=');
        // A bare value (`TEL;CELL:`) is a 2.1 habit many 3.0 writers kept: read it as TYPE.
        const QByteArray key = eq < 0 ? QByteArray("TYPE") : part.left(eq).trimmed().toUpper();
        const QByteArray values = eq < 0 ? part : part.mid(eq + 1);
        // Quotes were dropped above; the quoted text came through with its commas, which RFC 6350
        // 5.6 allows for TYPE="a,b" anyway, so one split serves both spellings.
        for (const QByteArray& v : values.split(','))
            p.params.append({key, v.trimmed()});
    }
    return p;
}

QString toText(QByteArrayView raw)
{
    return QString::fromUtf8(raw);
}

/// RFC 6350 3.4 unescaping; an unknown escape keeps the character, a lone trailing '\' stays.
QString unescape(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c != u'\\' || i + 1 == text.size()) {
            out.append(c);
            continue;
        }
        const QChar n = text[++i];
        out.append(n == u'n' || n == u'N' ? QChar(u'\n') : n);
    }
    return out;
}

/// Splits a structured value (N, ORG) or a list (CATEGORIES) on unescaped `separator`.
QStringList splitEscaped(const QString& text, QChar separator)
{
    QStringList parts;
    QString current;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u'\\' && i + 1 < text.size()) {
            current.append(text[i]);
            current.append(text[++i]);
        } else if (text[i] == separator) {
            parts.append(std::exchange(current, {}));
        } else {
            current.append(text[i]);
        }
    }
    parts.append(current);
    for (QString& part : parts)
        part = cleanText(unescape(part));
    return parts;
}

QString textValue(const Property& p)
{
    return cleanText(unescape(toText(p.value)));
}

/// Drops every control character: a URI or a number has no use for them, and the writer puts
/// both on one line unescaped.
QString withoutControls(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (QChar c : text)
        if (c.unicode() >= 0x20 && c.unicode() != 0x7f) out.append(c);
    return out.trimmed();
}

/// URI values (IMPP, URL, VALUE=uri) are not backslash-escaped (RFC 6350 4.2).
QString uriValue(const Property& p)
{
    return withoutControls(toText(p.value));
}

bool hasSipScheme(const QString& uri)
{
    return uri.startsWith(u"sip:", Qt::CaseInsensitive) || uri.startsWith(u"sips:", Qt::CaseInsensitive);
}

/// "SIP:alice@x" -> "sip:alice@x"; anything without a sip/sips scheme gets "sip:" (X-SIP often
/// holds a bare "alice@example.com").
QString sipUri(QString uri)
{
    uri = withoutControls(uri);
    if (uri.startsWith(u"sips:", Qt::CaseInsensitive))
        uri.replace(0, 5, QStringLiteral("sips:"));
    else if (uri.startsWith(u"sip:", Qt::CaseInsensitive))
        uri.replace(0, 4, QStringLiteral("sip:"));
    else
        uri.prepend(QStringLiteral("sip:"));
    return uri;
}

/// A number as shown: `tel:` URIs (RFC 3966, the 4.0 form) lose scheme and parameters. Applied
/// until nothing changes, so the writer's plain-text TEL reads back the same.
QString phoneNumber(const QString& number)
{
    QString out = withoutControls(number);
    while (out.startsWith(u"tel:", Qt::CaseInsensitive)) {
        out = out.mid(4);
        if (const qsizetype semi = out.indexOf(u';'); semi >= 0) out.truncate(semi);
        out = out.trimmed();
    }
    if (hasSipScheme(out)) return {};
    return out;
}

/// "image/jpeg" for a 3.0 TYPE=JPEG or a 4.0 data: media type; empty unless it is image/<token>.
QString photoMime(QString mime)
{
    mime = mime.trimmed().toLower();
    if (!mime.contains(u'/')) mime.prepend(QStringLiteral("image/"));
    if (!mime.startsWith(u"image/") || mime.size() == 6) return {};
    for (qsizetype i = 6; i < mime.size(); ++i) {
        const QChar c = mime[i];
        const bool ok =
            (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'+' || c == u'-';
        if (!ok) return {};
    }
    return mime;
}

std::optional<QByteArray> decodeBase64(QByteArrayView text)
{
    QByteArray compact;
    compact.reserve(text.size());
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact.append(c);
    auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) return std::nullopt;
    return std::move(decoded.decoded);
}

/// The label of a TEL/IMPP: the Apple group label when there is one, else the first TYPE that
/// names a kind of address (not PREF or VOICE).
QString labelOf(const Property& p, const QHash<QByteArray, QString>& groupLabels)
{
    if (!p.group.isEmpty())
        if (const auto it = groupLabels.constFind(p.group); it != groupLabels.cend() && !it->isEmpty())
            return *it;
    for (const QByteArray& type : p.paramValues("TYPE")) {
        const QString label = cleanLabel(toText(type).toLower());
        if (!isIgnoredType(label)) return label;
    }
    return {};
}

bool isTrue(const QString& value)
{
    return value == u"1" || value.compare(u"true", Qt::CaseInsensitive) == 0 ||
           value.compare(u"yes", Qt::CaseInsensitive) == 0;
}

/// Reads the PHOTO property; an error string when its base64 is broken.
std::optional<QString> readPhoto(const Property& p, Contact& c)
{
    if (!c.photo.isEmpty()) return std::nullopt; // the first photo wins
    QByteArray bytes;
    QString mime;
    const bool base64 = p.hasParam("ENCODING", "b") || p.hasParam("ENCODING", "base64");
    if (base64) {
        auto decoded = decodeBase64(p.value);
        if (!decoded) return QStringLiteral("PHOTO base64 is invalid");
        bytes = std::move(*decoded);
        const auto types = p.paramValues("TYPE");
        if (!types.isEmpty()) mime = photoMime(toText(types.first()));
    } else if (p.value.left(5).toLower() == "data:") {
        // RFC 2397: data:[<mediatype>][;base64],<data>; only the base64 form carries an image.
        const qsizetype comma = p.value.indexOf(',');
        if (comma < 0) return QStringLiteral("PHOTO data: URI without ','");
        const QByteArray meta = p.value.mid(5, comma - 5).trimmed();
        if (!meta.toLower().endsWith(";base64")) return std::nullopt;
        auto decoded = decodeBase64(QByteArrayView(p.value).sliced(comma + 1));
        if (!decoded) return QStringLiteral("PHOTO base64 is invalid");
        bytes = std::move(*decoded);
        const qsizetype semi = meta.indexOf(';');
        if (semi > 0) mime = photoMime(toText(meta.left(semi)));
    } else {
        return std::nullopt; // a URL to fetch: not ours to follow
    }
    if (bytes.isEmpty()) return std::nullopt;
    c.photo = std::move(bytes);
    c.photoMimeType = mime;
    return std::nullopt;
}

void addSipAddress(Contact& c, QString uri, QString label)
{
    const qsizetype schemeLength = uri.startsWith(u"sips:") ? 5 : 4;
    if (uri.size() <= schemeLength || c.sipAddresses.size() >= kVCardMaxAddresses) return;
    // IMPP, X-SIP and URL often repeat one address: keep the first.
    for (const SipAddress& a : std::as_const(c.sipAddresses))
        if (a.uri == uri) return;
    c.sipAddresses.append({std::move(uri), std::move(label)});
}

/// Maps the properties of one card onto a Contact, or says why the card is rejected.
std::variant<Contact, VCardError> readCard(const QList<Line>& lines, int beginLine)
{
    QList<Property> props;
    props.reserve(lines.size());
    for (const Line& line : lines) {
        if (line.text.trimmed().isEmpty()) continue;
        auto split = splitProperty(line);
        if (auto* reason = std::get_if<QString>(&split)) return VCardError{line.number, *reason};
        props.append(std::move(std::get<Property>(split)));
    }
    QHash<QByteArray, QString> groupLabels;
    for (const Property& p : std::as_const(props)) {
        if (p.name == "VERSION") {
            const QByteArray version = p.value.trimmed();
            if (version != "3.0" && version != "4.0")
                return VCardError{
                    p.line,
                    QStringLiteral("VERSION %1 not supported").arg(cleanText(toText(version)).left(16))};
        }
        if (p.hasParam("ENCODING", "quoted-printable"))
            return VCardError{p.line, QStringLiteral("ENCODING=QUOTED-PRINTABLE (vCard 2.1) not supported")};
        if (p.name == "X-ABLABEL" && !p.group.isEmpty() && !groupLabels.contains(p.group))
            groupLabels.insert(p.group, cleanLabel(textValue(p)));
    }

    Contact c;
    bool haveFn = false, haveN = false, haveNote = false, haveOrg = false;
    for (const Property& p : std::as_const(props)) {
        const QByteArray& n = p.name;
        if (n == "FN" && !haveFn) {
            c.displayName = textValue(p);
            haveFn = true;
        } else if (n == "N" && !haveN) {
            const QStringList parts = splitEscaped(toText(p.value), u';');
            c.familyName = parts.value(0);
            c.givenName = parts.value(1);
            haveN = true;
        } else if (n == "ORG" && !haveOrg) {
            QStringList parts = splitEscaped(toText(p.value), u';');
            parts.removeAll(QString());
            c.organisation = parts.join(QStringLiteral(", "));
            haveOrg = true;
        } else if (n == "NOTE" && !haveNote) {
            c.note = textValue(p);
            haveNote = true;
        } else if (n == "TEL") {
            // 3.0: free text; 4.0: SHOULD be a tel: URI (RFC 6350 6.4.1); a sip: URI here is an address.
            const bool uri =
                p.value.startsWith("tel:") || p.value.startsWith("TEL:") || p.hasParam("VALUE", "uri");
            const QString text = uri ? uriValue(p) : textValue(p);
            if (hasSipScheme(text)) {
                addSipAddress(c, sipUri(text), labelOf(p, groupLabels));
            } else if (QString number = phoneNumber(text);
                       !number.isEmpty() && c.phoneNumbers.size() < kVCardMaxAddresses) {
                c.phoneNumbers.append({std::move(number), labelOf(p, groupLabels)});
            }
        } else if (n == "IMPP" || n == "URL") {
            // IMPP (RFC 4770 for 3.0, RFC 6350 6.4.3) carries any IM scheme: keep sip/sips only.
            if (const QString uri = uriValue(p); hasSipScheme(uri))
                addSipAddress(c, sipUri(uri), labelOf(p, groupLabels));
        } else if (n == "X-SIP") {
            if (const QString uri = textValue(p); !uri.isEmpty())
                addSipAddress(c, sipUri(uri), labelOf(p, groupLabels));
        } else if (n == "PHOTO") {
            if (auto reason = readPhoto(p, c)) return VCardError{p.line, *reason};
        } else if (n == "CATEGORIES") {
            for (const QString& category : splitEscaped(toText(p.value), u',')) {
                const QString folded = category.toCaseFolded();
                // Apple's "Favorites" group, Google's "starred" label.
                if (folded == u"favorite" || folded == u"favourite" || folded == u"favorites" ||
                    folded == u"favourites" || folded == u"starred")
                    c.favourite = true;
            }
        } else if (n == "X-VPHONE-FAVOURITE") {
            c.favourite = c.favourite || isTrue(textValue(p));
        } else if (n == "X-VPHONE-BLF") {
            c.blf = c.blf || isTrue(textValue(p));
        }
    }
    if (c.displayName.isEmpty()) c.displayName = cleanText(c.givenName + u' ' + c.familyName);
    if (c.displayName.isEmpty()) return VCardError{beginLine, QStringLiteral("card has no FN and no N")};
    return c;
}

} // namespace

QString VCardError::message() const
{
    return line == 0 ? reason : QStringLiteral("line %1: %2").arg(line).arg(reason);
}

VCardImport parseVCards(QByteArrayView data)
{
    VCardImport out;
    auto addError = [&out](int line, QString reason) {
        if (out.errors.size() < kVCardMaxErrors) out.errors.append({line, std::move(reason)});
    };
    if (data.size() > kVCardMaxFileBytes) {
        addError(0, QStringLiteral("file larger than %1 MiB").arg(kVCardMaxFileBytes / (1024 * 1024)));
        return out;
    }
    if (data.startsWith("\xEF\xBB\xBF")) data = data.sliced(3); // UTF-8 byte order mark

    LineReader reader(data);
    Line line;
    bool overflow = false;
    bool inCard = false, junkReported = false;
    int beginLine = 0;
    qsizetype cardBytes = 0;
    QString cardProblem; // set once a card is too large: the rest of it is skipped
    QList<Line> lines;
    auto startCard = [&](int number) {
        inCard = true;
        beginLine = number;
        cardBytes = 0;
        cardProblem.clear();
        lines.clear();
    };
    while (reader.next(line, overflow)) {
        if (!inCard) {
            if (isLine(line.text, "BEGIN:VCARD")) {
                startCard(line.number);
                junkReported = false;
            } else if (isLine(line.text, "END:VCARD")) {
                addError(line.number, QStringLiteral("END:VCARD without BEGIN:VCARD"));
            } else if (!line.text.trimmed().isEmpty() && !junkReported) {
                addError(line.number, QStringLiteral("text outside BEGIN:VCARD ... END:VCARD"));
                junkReported = true; // one error per stretch of junk, not one per line
            }
            continue;
        }
        if (isLine(line.text, "END:VCARD")) {
            inCard = false;
            if (!cardProblem.isEmpty()) {
                addError(beginLine, cardProblem);
                continue;
            }
            auto card = readCard(lines, beginLine);
            if (auto* contact = std::get_if<Contact>(&card))
                out.contacts.append(std::move(*contact));
            else
                addError(std::get<VCardError>(card).line, std::get<VCardError>(card).reason);
            continue;
        }
        if (isLine(line.text, "BEGIN:VCARD")) {
            addError(beginLine, QStringLiteral("BEGIN:VCARD without END:VCARD"));
            startCard(line.number);
            continue;
        }
        if (!cardProblem.isEmpty()) continue;
        cardBytes += line.text.size();
        if (overflow || cardBytes > kVCardMaxCardBytes) {
            cardProblem = QStringLiteral("card larger than %1 MiB").arg(kVCardMaxCardBytes / (1024 * 1024));
            lines.clear();
        } else if (lines.size() >= kVCardMaxProperties) {
            cardProblem = QStringLiteral("card has more than %1 properties").arg(kVCardMaxProperties);
            lines.clear();
        } else {
            lines.append(line);
        }
    }
    if (inCard) addError(beginLine, QStringLiteral("BEGIN:VCARD without END:VCARD"));
    return out;
}

Result<VCardImport> readVCardFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    if (file.size() > kVCardMaxFileBytes)
        return makeError(
            QStringLiteral("%1 is larger than %2 MiB").arg(path).arg(kVCardMaxFileBytes / (1024 * 1024)));
    const QByteArray data = file.read(kVCardMaxFileBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return makeError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return parseVCards(data);
}

} // namespace vphone::contacts
