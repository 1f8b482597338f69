// Search as you type and caller lookup: case- and accent-insensitive on names, addresses and
// numbers (numbers ignoring spaces and dashes), non-ASCII included.
#include "contacts/database.h"
#include "contacts/search_key.h"
#include "contacts_test_util.h"

using namespace vphone::contacts;
using contacts_test::value;

namespace {

class ContactsSearch : public ::testing::Test {
protected:
    void SetUp() override
    {
        db_ = contacts_test::open(dir_.filePath(QStringLiteral("search.db")));
        ASSERT_TRUE(db_);
        add(QStringLiteral("José Álvarez"), {QStringLiteral("sip:jose@voip.example.es")},
            {QStringLiteral("+34 600 11 22 33")});
        add(QStringLiteral("Jürgen Müller"), {QStringLiteral("sip:juergen@example.de")},
            {QStringLiteral("+49 (30) 9876-543")});
        add(QStringLiteral("Søren Kierkegaard"), {}, {QStringLiteral("+45 12 34 56 78")});
        add(QStringLiteral("Łukasz Straße"), {QStringLiteral("sips:lukasz@example.pl")}, {});
        add(QStringLiteral("Иван Петров"), {}, {QStringLiteral("8 (495) 123-45-67")});
        add(QStringLiteral("Josephine Baker"), {QStringLiteral("sip:jo@paris.example.fr")}, {});
        add(QStringLiteral("Front Desk"), {QStringLiteral("sip:100@pbx.example.net;user=phone")},
            {QStringLiteral("100")});
    }

    void add(const QString& name, const QStringList& uris, const QStringList& numbers)
    {
        Contact c;
        c.displayName = name;
        for (const QString& uri : uris)
            c.sipAddresses.append({uri, QString()});
        for (const QString& number : numbers)
            c.phoneNumbers.append({number, QString()});
        ASSERT_TRUE(db_->addContact(c).ok());
    }

    QStringList search(const QString& query)
    {
        QStringList out;
        for (const Contact& c : value(db_->searchContacts(query)))
            out.append(c.displayName);
        return out;
    }

    QString lookupUri(const QString& uri)
    {
        return value(db_->findBySipUri(uri)).value_or(Contact{}).displayName;
    }

    QString lookupNumber(const QString& number)
    {
        return value(db_->findByNumber(number)).value_or(Contact{}).displayName;
    }

    QTemporaryDir dir_;
    std::optional<Database> db_;
};

} // namespace

TEST(ContactsSearchKey, FoldsAccentsCaseAndSpecialLetters)
{
    EXPECT_EQ(foldForSearch(QStringLiteral("José MÜLLER")), QStringLiteral("jose muller"));
    EXPECT_EQ(foldForSearch(QStringLiteral("Søren Łukasz Straße Æsir Œuvre")),
              QStringLiteral("soren lukasz strasse aesir oeuvre"));
    EXPECT_EQ(foldForSearch(QStringLiteral("ＡＢＣ ﬁ")),
              QStringLiteral("abc fi")); // NFKD: full-width, ligature
    EXPECT_EQ(numberDigits(QStringLiteral("+49 (30) 123-45")), QStringLiteral("493012345"));
    EXPECT_EQ(sipMatchKey(QStringLiteral("\"Alice\" <SIPS:Alice@Example.COM:5061;transport=tls?subject=x>")),
              QStringLiteral("alice@example.com"));
    EXPECT_EQ(sipMatchKey(QStringLiteral("sip:bob@[2001:db8::1]:5060")), QStringLiteral("bob@[2001:db8::1]"));
    EXPECT_EQ(sipTelephoneUser(QStringLiteral("sip:+49 30 123@gw.example;user=phone")),
              QStringLiteral("+49 30 123"));
    EXPECT_EQ(sipTelephoneUser(QStringLiteral("sip:0301234@pbx")), QStringLiteral("0301234"));
    EXPECT_EQ(sipTelephoneUser(QStringLiteral("sip:alice@example.com")), QString());
}

TEST_F(ContactsSearch, PrefixSubstringAndCase)
{
    EXPECT_EQ(search(QStringLiteral("jo")), (QStringList{"José Álvarez", "Josephine Baker"}));
    EXPECT_EQ(search(QStringLiteral("BAKER")), QStringList{"Josephine Baker"});
    EXPECT_EQ(search(QStringLiteral("kegaard")), QStringList{"Søren Kierkegaard"});
    // Every word must match, in any order.
    EXPECT_EQ(search(QStringLiteral("baker jos")), QStringList{"Josephine Baker"});
    EXPECT_TRUE(search(QStringLiteral("baker alvarez")).isEmpty());
    // Names starting with the query come before names merely containing it (the URI scheme
    // is not part of the key, or every SIP contact would match "s").
    EXPECT_EQ(search(QStringLiteral("s")), (QStringList{"Søren Kierkegaard", "Front Desk", "José Álvarez",
                                                        "Josephine Baker", "Łukasz Straße"}));
    EXPECT_EQ(search(QString()).size(), 7);
    EXPECT_EQ(value(db_->searchContacts(QString(), 3)).size(), 3);
    // No wildcard leaks through.
    EXPECT_TRUE(search(QStringLiteral("%")).isEmpty());
    EXPECT_TRUE(search(QStringLiteral("_")).isEmpty());
}

TEST_F(ContactsSearch, AccentsAndNonAsciiBothWays)
{
    EXPECT_EQ(search(QStringLiteral("jose")), (QStringList{"José Álvarez", "Josephine Baker"}));
    EXPECT_EQ(search(QStringLiteral("jose alv")), QStringList{"José Álvarez"});
    EXPECT_EQ(search(QStringLiteral("muller")), QStringList{"Jürgen Müller"});
    EXPECT_EQ(search(QStringLiteral("MÜLLER")), QStringList{"Jürgen Müller"});
    EXPECT_EQ(search(QStringLiteral("álv")), QStringList{"José Álvarez"});
    EXPECT_EQ(search(QStringLiteral("soren")), QStringList{"Søren Kierkegaard"});
    EXPECT_EQ(search(QStringLiteral("lukasz strasse")), QStringList{"Łukasz Straße"});
    EXPECT_EQ(search(QStringLiteral("ИВАН")), QStringList{"Иван Петров"});
    EXPECT_EQ(search(QStringLiteral("петр")), QStringList{"Иван Петров"});
}

TEST_F(ContactsSearch, NumbersIgnoringSpacesAndDashesAndAddresses)
{
    EXPECT_EQ(search(QStringLiteral("600112233")), QStringList{"José Álvarez"});
    EXPECT_EQ(search(QStringLiteral("600 11")), QStringList{"José Álvarez"});
    EXPECT_EQ(search(QStringLiteral("9876543")), QStringList{"Jürgen Müller"});
    EXPECT_EQ(search(QStringLiteral("30-9876")), QStringList{"Jürgen Müller"});
    // Digits match across formats: "4512345678" holds "1234567" too.
    EXPECT_EQ(search(QStringLiteral("123-45-67")), (QStringList{"Søren Kierkegaard", "Иван Петров"}));
    EXPECT_EQ(search(QStringLiteral("voip.example")), QStringList{"José Álvarez"});
    EXPECT_EQ(search(QStringLiteral("lukasz@")), QStringList{"Łukasz Straße"});
    EXPECT_EQ(search(QStringLiteral("example.de")), QStringList{"Jürgen Müller"});
}

TEST_F(ContactsSearch, LookupCallerBySipUriAndNumber)
{
    EXPECT_EQ(lookupUri(QStringLiteral("sip:jose@voip.example.es")), QStringLiteral("José Álvarez"));
    EXPECT_EQ(lookupUri(QStringLiteral("\"Pepe\" <SIP:Jose@VOIP.example.es:5060;transport=tcp>")),
              QStringLiteral("José Álvarez"));
    EXPECT_EQ(lookupUri(QStringLiteral("sip:lukasz@example.pl")),
              QStringLiteral("Łukasz Straße")); // sip vs sips
    EXPECT_EQ(lookupUri(QStringLiteral("sip:nobody@example.com")), QString());
    // A telephone user part falls back to the numbers.
    EXPECT_EQ(lookupUri(QStringLiteral("sip:+4930 9876543@trunk.example;user=phone")),
              QStringLiteral("Jürgen Müller"));
    EXPECT_EQ(lookupUri(QStringLiteral("tel:+45-12-34-56-78")), QStringLiteral("Søren Kierkegaard"));
    EXPECT_EQ(lookupUri(QStringLiteral("sip:100@pbx.example.net")), QStringLiteral("Front Desk"));

    EXPECT_EQ(lookupNumber(QStringLiteral("+34600112233")), QStringLiteral("José Álvarez"));
    EXPECT_EQ(lookupNumber(QStringLiteral("0034 600 11 22 33")),
              QStringLiteral("José Álvarez")); // suffix match
    EXPECT_EQ(lookupNumber(QStringLiteral("030 9876543")), QStringLiteral("Jürgen Müller"));
    EXPECT_EQ(lookupNumber(QStringLiteral("100")), QStringLiteral("Front Desk"));
    EXPECT_EQ(lookupNumber(QStringLiteral("00")), QString()); // short numbers: exact only
    EXPECT_EQ(lookupNumber(QStringLiteral("5555555555")), QString());
    EXPECT_EQ(lookupNumber(QStringLiteral("no digits")), QString());
}
