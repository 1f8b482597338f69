// Contacts: CRUD, listing, search as you type and caller lookup.
#include "contacts/database.h"

#include "contacts/database_sql.h"
#include "contacts/search_key.h"

#include <QHash>
#include <QSqlQuery>

namespace vphone::contacts {

using detail::run;
using detail::scalar;

namespace {

const QString kContactColumns = QStringLiteral(
    "id, display_name, given_name, family_name, organisation, note, photo, photo_mime, favourite, blf");

Contact contactFromRow(const QSqlQuery& q)
{
    Contact c;
    c.id = q.value(0).toLongLong();
    c.displayName = q.value(1).toString();
    c.givenName = q.value(2).toString();
    c.familyName = q.value(3).toString();
    c.organisation = q.value(4).toString();
    c.note = q.value(5).toString();
    c.photo = q.value(6).toByteArray();
    c.photoMimeType = q.value(7).toString();
    c.favourite = q.value(8).toBool();
    c.blf = q.value(9).toBool();
    return c;
}

/// Dialling characters only, with at least one digit: then the query also matches numbers by
/// their digits, so "555 12" finds "+1 (555) 123-4567".
bool isDialString(const QString& query)
{
    bool digit = false;
    for (QChar c : query) {
        if (c.isDigit())
            digit = true;
        else if (c != u' ' && c != u'-' && c != u'+' && c != u'(' && c != u')' && c != u'.' && c != u'/')
            return false;
    }
    return digit;
}

/// Phone numbers shorter than this are matched exactly only (extensions, short codes).
constexpr qsizetype kSuffixMatchDigits = 7;

} // namespace

Result<QList<Contact>> Database::selectContacts(const QString& where, const QVariantList& values,
                                                const QString& orderLimit) const
{
    const QString step = QStringLiteral("read contacts");
    auto q =
        run(db_, step,
            QStringLiteral("SELECT %1 FROM contacts %2 %3").arg(kContactColumns, where, orderLimit), values);
    if (!q) return q.error();
    QList<Contact> out;
    QHash<qint64, qsizetype> index;
    while (q->next()) {
        out.append(contactFromRow(*q));
        index.insert(out.last().id, out.size() - 1);
    }
    if (out.isEmpty()) return out;
    // Addresses and numbers in two queries for the whole list, not two per contact. Ids are
    // integers from SQLite, safe to inline.
    QString filter;
    if (!where.isEmpty()) {
        QStringList ids;
        ids.reserve(out.size());
        for (const Contact& c : std::as_const(out))
            ids.append(QString::number(c.id));
        filter = QStringLiteral("WHERE contact_id IN (%1)").arg(ids.join(u','));
    }
    auto sip = run(
        db_, step,
        QStringLiteral("SELECT contact_id, uri, label FROM sip_addresses %1 ORDER BY contact_id, position")
            .arg(filter));
    if (!sip) return sip.error();
    while (sip->next())
        if (const auto it = index.constFind(sip->value(0).toLongLong()); it != index.cend())
            out[*it].sipAddresses.append({sip->value(1).toString(), sip->value(2).toString()});
    auto tel = run(
        db_, step,
        QStringLiteral("SELECT contact_id, number, label FROM phone_numbers %1 ORDER BY contact_id, position")
            .arg(filter));
    if (!tel) return tel.error();
    while (tel->next())
        if (const auto it = index.constFind(tel->value(0).toLongLong()); it != index.cend())
            out[*it].phoneNumbers.append({tel->value(1).toString(), tel->value(2).toString()});
    return out;
}

Result<std::optional<Contact>> Database::contactWhere(const QString& sql, const QVariantList& values) const
{
    auto id = run(db_, QStringLiteral("look up contact"), sql, values);
    if (!id) return id.error();
    if (!id->next()) return std::optional<Contact>();
    return contact(id->value(0).toLongLong());
}

Status Database::writeAddresses(qint64 id, const Contact& contact)
{
    const QString step = QStringLiteral("write contact addresses");
    for (const char* table :
         {"DELETE FROM sip_addresses WHERE contact_id = ?", "DELETE FROM phone_numbers WHERE contact_id = ?"})
        if (auto done = run(db_, step, QString::fromLatin1(table), {id}); !done) return done.error();
    int position = 0;
    for (const SipAddress& a : contact.sipAddresses) {
        auto done = run(db_, step,
                        QStringLiteral("INSERT INTO sip_addresses (contact_id, position, uri, label, "
                                       "match_key) VALUES (?, ?, ?, ?, ?)"),
                        {id, position++, a.uri, a.label, sipMatchKey(a.uri)});
        if (!done) return done.error();
    }
    position = 0;
    for (const PhoneNumber& n : contact.phoneNumbers) {
        auto done = run(db_, step,
                        QStringLiteral("INSERT INTO phone_numbers (contact_id, position, number, label, "
                                       "digits) VALUES (?, ?, ?, ?, ?)"),
                        {id, position++, n.number, n.label, numberDigits(n.number)});
        if (!done) return done.error();
    }
    return kOk;
}

Result<qint64> Database::insertContact(const Contact& c)
{
    auto q = run(
        db_, QStringLiteral("insert contact"),
        QStringLiteral(
            "INSERT INTO contacts (display_name, given_name, family_name, organisation, note, photo,"
            " photo_mime, favourite, blf, search_key, sort_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {c.displayName, c.givenName, c.familyName, c.organisation, c.note, c.photo, c.photoMimeType,
         c.favourite, c.blf, contactSearchKey(c), foldForSearch(c.displayName)});
    if (!q) return q.error();
    const qint64 id = q->lastInsertId().toLongLong();
    if (auto done = writeAddresses(id, c); !done) return done.error();
    return id;
}

Result<qint64> Database::addContact(const Contact& contact)
{
    qint64 id = 0;
    auto done = detail::inTransaction(db_, QStringLiteral("add contact"), [&]() -> Status {
        auto inserted = insertContact(contact);
        if (!inserted) return inserted.error();
        id = *inserted;
        return kOk;
    });
    if (!done) return done.error();
    return id;
}

Result<QList<qint64>> Database::addContacts(const QList<Contact>& contacts)
{
    QList<qint64> ids;
    auto done = detail::inTransaction(db_, QStringLiteral("add contacts"), [&]() -> Status {
        for (const Contact& c : contacts) {
            auto inserted = insertContact(c);
            if (!inserted) return inserted.error();
            ids.append(*inserted);
        }
        return kOk;
    });
    if (!done) return done.error();
    return ids;
}

Status Database::updateContact(const Contact& c)
{
    return detail::inTransaction(db_, QStringLiteral("update contact"), [&]() -> Status {
        auto q =
            run(db_, QStringLiteral("update contact"),
                QStringLiteral(
                    "UPDATE contacts SET display_name = ?, given_name = ?, family_name = ?, organisation = ?,"
                    " note = ?, photo = ?, photo_mime = ?, favourite = ?, blf = ?, search_key = ?,"
                    " sort_key = ? WHERE id = ?"),
                {c.displayName, c.givenName, c.familyName, c.organisation, c.note, c.photo, c.photoMimeType,
                 c.favourite, c.blf, contactSearchKey(c), foldForSearch(c.displayName), c.id});
        if (!q) return q.error();
        if (q->numRowsAffected() != 1)
            return makeError(
                QStringLiteral("update contact: no contact with id %1 (%2)").arg(c.id).arg(path_));
        return writeAddresses(c.id, c);
    });
}

Status Database::deleteContact(qint64 id)
{
    return detail::inTransaction(db_, QStringLiteral("delete contact"), [&]() -> Status {
        // Addresses and numbers go with it: ON DELETE CASCADE (foreign_keys is on).
        auto q = run(db_, QStringLiteral("delete contact"),
                     QStringLiteral("DELETE FROM contacts WHERE id = ?"), {id});
        if (!q) return q.error();
        if (q->numRowsAffected() != 1)
            return makeError(QStringLiteral("delete contact: no contact with id %1 (%2)").arg(id).arg(path_));
        return kOk;
    });
}

Result<std::optional<Contact>> Database::contact(qint64 id) const
{
    auto found = selectContacts(QStringLiteral("WHERE id = ?"), {id}, QString());
    if (!found) return found.error();
    if (found->isEmpty()) return std::optional<Contact>();
    return std::optional<Contact>(found->first());
}

Result<QList<Contact>> Database::contacts(const ContactListOptions& options) const
{
    return selectContacts(options.favouritesOnly ? QStringLiteral("WHERE favourite = 1") : QString(), {},
                          options.favouritesFirst ? QStringLiteral("ORDER BY favourite DESC, sort_key, id")
                                                  : QStringLiteral("ORDER BY sort_key, id"));
}

Result<int> Database::contactCount() const
{
    auto n = scalar(db_, QStringLiteral("count contacts"), QStringLiteral("SELECT COUNT(*) FROM contacts"));
    if (!n) return n.error();
    return static_cast<int>(*n);
}

Result<QList<Contact>> Database::searchContacts(const QString& query, int limit) const
{
    // instr() on the folded key, not LIKE: nothing in the query can act as a wildcard.
    const QStringList words = foldForSearch(query).split(QChar(u' '), Qt::SkipEmptyParts);
    QStringList conditions;
    QVariantList values;
    for (const QString& word : words) {
        conditions.append(QStringLiteral("instr(search_key, ?) > 0"));
        values.append(word);
    }
    QString where =
        conditions.isEmpty() ? QString() : QStringLiteral("WHERE (%1)").arg(conditions.join(u" AND "));
    if (!where.isEmpty() && isDialString(query)) {
        where += QStringLiteral(" OR instr(search_key, ?) > 0");
        values.append(numberDigits(query));
    }
    const QString prefix = foldForSearch(query.trimmed());
    values.append(prefix);
    values.append(limit < 0 ? -1 : limit);
    return selectContacts(where, values,
                          QStringLiteral("ORDER BY instr(sort_key, ?) = 1 DESC, sort_key, id LIMIT ?"));
}

Result<std::optional<Contact>> Database::findBySipUri(const QString& uri) const
{
    if (uri.trimmed().startsWith(u"tel:", Qt::CaseInsensitive)) {
        QString number = uri.trimmed().mid(4);
        return findByNumber(number.left(number.indexOf(u';')));
    }
    if (const QString key = sipMatchKey(uri); !key.isEmpty()) {
        auto found = contactWhere(
            QStringLiteral(
                "SELECT contact_id FROM sip_addresses WHERE match_key = ? ORDER BY contact_id LIMIT 1"),
            {key});
        if (!found || found->has_value()) return found;
    }
    if (const QString user = sipTelephoneUser(uri); !user.isEmpty()) return findByNumber(user);
    return std::optional<Contact>();
}

Result<std::optional<Contact>> Database::findByNumber(const QString& number) const
{
    const QString digits = numberDigits(number);
    if (digits.isEmpty()) return std::optional<Contact>();
    auto exact = contactWhere(
        QStringLiteral("SELECT contact_id FROM phone_numbers WHERE digits = ? ORDER BY contact_id LIMIT 1"),
        {digits});
    if (!exact || exact->has_value() || digits.size() < kSuffixMatchDigits) return exact;
    // National vs international forms ("030 1234567" vs "+49 30 1234567", "0049 30..."): with
    // leading zeros (trunk and international prefixes) dropped, one ends with the other. The
    // digits hold no '%' or '_', so LIKE is a plain suffix test here.
    QString significant = digits;
    while (significant.startsWith(u'0'))
        significant.remove(0, 1);
    if (significant.size() < kSuffixMatchDigits) return exact;
    return contactWhere(
        QStringLiteral("SELECT contact_id FROM phone_numbers WHERE length(ltrim(digits, '0')) >= ?"
                       " AND (digits LIKE '%' || ? OR ? LIKE '%' || ltrim(digits, '0'))"
                       " ORDER BY length(digits) DESC, contact_id LIMIT 1"),
        {kSuffixMatchDigits, significant, significant});
}

} // namespace vphone::contacts
