// The SQLite store: file setup, contact CRUD and listing, reopening, migration from a
// hand-made version-1 file, several connections and threads.
#include "contacts/database.h"
#include "contacts/schema.h"
#include "contacts/vcard.h"
#include "contacts_test_util.h"

#include <QFile>
#include <QSqlError>
#include <QTimeZone>

#include <thread>

using namespace vphone::contacts;
using contacts_test::value;

namespace {

Contact alice()
{
    Contact c;
    c.displayName = QStringLiteral("Alice Ångström");
    c.givenName = QStringLiteral("Alice");
    c.familyName = QStringLiteral("Ångström");
    c.organisation = QStringLiteral("Example AB");
    c.note = QStringLiteral("met at FOSDEM\nsecond line");
    c.photo = QByteArray("\x89PNG\r\n\x1a\n\0\0binary", 16);
    c.photoMimeType = QStringLiteral("image/png");
    c.favourite = true;
    c.blf = true;
    c.sipAddresses = {{QStringLiteral("sip:alice@example.com"), QStringLiteral("work")},
                      {QStringLiteral("sips:alice@home.example"), QStringLiteral("home")}};
    c.phoneNumbers = {{QStringLiteral("+46 70 123 45 67"), QStringLiteral("cell")}};
    return c;
}

Contact named(const QString& name, bool favourite = false)
{
    Contact c;
    c.displayName = name;
    c.favourite = favourite;
    return c;
}

QStringList names(const QList<Contact>& contacts)
{
    QStringList out;
    for (const Contact& c : contacts)
        out.append(c.displayName);
    return out;
}

} // namespace

TEST(ContactsDatabase, CreatesFileInWalModeAtCurrentVersion)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profile/sub/vphone.db")); // directories created
    {
        auto db = contacts_test::open(path);
        ASSERT_TRUE(db);
        EXPECT_EQ(db->path(), path);
        EXPECT_TRUE(db->connectionName().startsWith(QStringLiteral("vphone-contacts-")));
        EXPECT_EQ(value(db->contactCount()), 0);
    }
    ASSERT_TRUE(QFile::exists(path));
    contacts_test::withRawConnection(path, [](QSqlDatabase& raw) {
        EXPECT_EQ(contacts_test::rawScalar(raw, QStringLiteral("PRAGMA journal_mode")).toString(),
                  QStringLiteral("wal"));
        EXPECT_EQ(contacts_test::rawScalar(raw, QStringLiteral("PRAGMA user_version")).toInt(),
                  schema::kCurrentVersion);
        EXPECT_EQ(
            contacts_test::rawScalar(raw, QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                                                         " ('contacts', 'calls', 'messages')"))
                .toInt(),
            3);
    });
}

TEST(ContactsDatabase, AddGetUpdateDelete)
{
    QTemporaryDir dir;
    auto db = contacts_test::open(dir.filePath(QStringLiteral("c.db")));
    ASSERT_TRUE(db);
    Contact a = alice();
    a.id = 999; // ignored on add
    const qint64 id = value(db->addContact(a));
    EXPECT_GT(id, 0);
    a.id = id;
    EXPECT_EQ(value(db->contact(id)), std::optional<Contact>(a));

    a.displayName = QStringLiteral("Alice B. Ångström");
    a.favourite = false;
    a.photo.clear();
    a.photoMimeType.clear();
    a.sipAddresses = {{QStringLiteral("sip:alice.b@example.com"), QString()}};
    a.phoneNumbers.append({QStringLiteral("08-555 01 00"), QStringLiteral("work")});
    ASSERT_TRUE(db->updateContact(a).ok());
    EXPECT_EQ(value(db->contact(id)), std::optional<Contact>(a));

    Contact missing = a;
    missing.id = id + 100;
    auto failed = db->updateContact(missing);
    ASSERT_FALSE(failed.ok());
    EXPECT_TRUE(failed.error().what.contains(QStringLiteral("no contact with id %1").arg(id + 100)));
    EXPECT_TRUE(failed.error().what.contains(db->path()));

    ASSERT_TRUE(db->deleteContact(id).ok());
    EXPECT_EQ(value(db->contact(id)), std::nullopt);
    EXPECT_FALSE(db->deleteContact(id).ok());
    EXPECT_EQ(value(db->contactCount()), 0);
    // Addresses and numbers went with the contact (ON DELETE CASCADE).
    EXPECT_EQ(value(db->findBySipUri(QStringLiteral("sip:alice.b@example.com"))), std::nullopt);
    EXPECT_EQ(value(db->findByNumber(QStringLiteral("085550100"))), std::nullopt);
}

TEST(ContactsDatabase, ListOrdersByFoldedNameFavouritesFirstOrOnly)
{
    QTemporaryDir dir;
    auto db = contacts_test::open(dir.filePath(QStringLiteral("c.db")));
    ASSERT_TRUE(db);
    for (const Contact& c :
         {named(QStringLiteral("zed")), named(QStringLiteral("Émile"), true), named(QStringLiteral("Adam")),
          named(QStringLiteral("ölaf")), named(QStringLiteral("Bob"), true), named(QStringLiteral("eve"))})
        ASSERT_TRUE(db->addContact(c).ok());
    EXPECT_EQ(names(value(db->contacts())), (QStringList{"Adam", "Bob", "Émile", "eve", "ölaf", "zed"}));
    EXPECT_EQ(names(value(db->contacts({.favouritesFirst = true}))),
              (QStringList{"Bob", "Émile", "Adam", "eve", "ölaf", "zed"}));
    EXPECT_EQ(names(value(db->contacts({.favouritesFirst = false, .favouritesOnly = true}))),
              (QStringList{"Bob", "Émile"}));
}

TEST(ContactsDatabase, ReopeningKeepsEverything)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.db"));
    Contact a = alice();
    CallRecord call;
    call.direction = Direction::Outgoing;
    call.peerUri = QStringLiteral("sip:bob@example.com");
    call.startTime = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, QTimeZone::utc());
    call.outcome = CallOutcome::Busy;
    {
        auto db = contacts_test::open(path);
        ASSERT_TRUE(db);
        a.id = value(db->addContact(a));
        call.id = value(db->addCall(call));
    }
    auto db = contacts_test::open(path);
    ASSERT_TRUE(db);
    EXPECT_EQ(value(db->contacts()), QList<Contact>{a});
    EXPECT_EQ(value(db->calls()), QList<CallRecord>{call});
}

TEST(ContactsDatabase, MigratesHandMadeVersion1FileKeepingData)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("v1.db"));
    contacts_test::withRawConnection(path, [](QSqlDatabase& raw) {
        QSqlQuery q(raw);
        for (const QString& sql : schema::v1Statements())
            ASSERT_TRUE(q.exec(sql)) << q.lastError().text().toStdString();
        for (const char* sql :
             {"PRAGMA user_version=1",
              "INSERT INTO contacts (id, display_name, given_name, family_name, organisation, note) VALUES"
              " (7, 'José Müller', 'José', 'Müller', 'ACME', 'old note')",
              "INSERT INTO contacts (id, display_name) VALUES (8, 'Zoe')",
              "INSERT INTO sip_addresses (contact_id, position, uri, label) VALUES (7, 0, "
              "'sip:Jose@Example.com', 'work')",
              "INSERT INTO phone_numbers (contact_id, position, number, label) VALUES (7, 0, '+34 "
              "600-11-22-33', 'cell')",
              "INSERT INTO phone_numbers (contact_id, position, number, label) VALUES (7, 1, '91 555', '')"})
            ASSERT_TRUE(q.exec(QString::fromUtf8(sql))) << sql << q.lastError().text().toStdString();
    });
    auto db = contacts_test::open(path);
    ASSERT_TRUE(db);
    Contact expected;
    expected.id = 7;
    expected.displayName = QStringLiteral("José Müller");
    expected.givenName = QStringLiteral("José");
    expected.familyName = QStringLiteral("Müller");
    expected.organisation = QStringLiteral("ACME");
    expected.note = QStringLiteral("old note");
    expected.sipAddresses = {{QStringLiteral("sip:Jose@Example.com"), QStringLiteral("work")}};
    expected.phoneNumbers = {{QStringLiteral("+34 600-11-22-33"), QStringLiteral("cell")},
                             {QStringLiteral("91 555"), QString()}};
    EXPECT_EQ(value(db->contact(7)), std::optional<Contact>(expected));
    EXPECT_EQ(value(db->contactCount()), 2);
    // The keys the migration computed make the old rows searchable and findable.
    EXPECT_EQ(names(value(db->searchContacts(QStringLiteral("jose mull")))), QStringList{"José Müller"});
    EXPECT_EQ(value(db->findBySipUri(QStringLiteral("<sip:jose@example.COM;transport=udp>")))
                  .value_or(Contact{})
                  .id,
              7);
    EXPECT_EQ(value(db->findByNumber(QStringLiteral("+34600112233"))).value_or(Contact{}).id, 7);
    // The v2 tables exist and work.
    EXPECT_EQ(value(db->unseenMissedCallCount()), 0);
    EXPECT_EQ(value(db->unreadMessageCount()), 0);
    db.reset();
    contacts_test::withRawConnection(path, [](QSqlDatabase& raw) {
        EXPECT_EQ(contacts_test::rawScalar(raw, QStringLiteral("PRAGMA user_version")).toInt(), 2);
        EXPECT_EQ(contacts_test::rawScalar(raw, QStringLiteral("PRAGMA integrity_check")).toString(),
                  QStringLiteral("ok"));
    });
}

TEST(ContactsDatabase, RefusesNewerSchemaAndNonDatabaseFiles)
{
    QTemporaryDir dir;
    const QString newer = dir.filePath(QStringLiteral("newer.db"));
    contacts_test::withRawConnection(newer, [](QSqlDatabase& raw) {
        QSqlQuery q(raw);
        ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA user_version=99")));
    });
    auto db = Database::open(newer);
    ASSERT_FALSE(db.ok());
    EXPECT_TRUE(db.error().what.contains(QStringLiteral("schema version 99")))
        << db.error().what.toStdString();
    EXPECT_TRUE(db.error().what.contains(newer));

    const QString text = dir.filePath(QStringLiteral("notes.txt"));
    QFile file(text);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    db = Database::open(text);
    ASSERT_FALSE(db.ok());
    EXPECT_TRUE(db.error().what.contains(text)) << db.error().what.toStdString();
    EXPECT_TRUE(db.error().what.contains(QStringLiteral("not a database"))) << db.error().what.toStdString();
}

TEST(ContactsDatabase, SeveralConnectionsAndThreadsOnOneFile)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.db"));
    auto first = contacts_test::open(path);
    auto second = contacts_test::open(path);
    ASSERT_TRUE(first && second);
    EXPECT_NE(first->connectionName(), second->connectionName());
    ASSERT_TRUE(first->addContact(named(QStringLiteral("From first"))).ok());
    EXPECT_EQ(names(value(second->contacts())), QStringList{"From first"});

    // A worker thread opens its own Database (one connection per thread) and writes.
    std::thread worker([&path]() {
        auto db = Database::open(path);
        ASSERT_TRUE(db.ok());
        for (int i = 0; i < 20; ++i)
            ASSERT_TRUE(db->addContact(named(QStringLiteral("From thread %1").arg(i))).ok());
    });
    for (int i = 0; i < 20; ++i)
        ASSERT_TRUE(second->addContact(named(QStringLiteral("From second %1").arg(i))).ok());
    worker.join();
    EXPECT_EQ(value(first->contactCount()), 41);

    // Moving keeps the connection; the moved-from object is inert.
    Database moved = std::move(*second);
    EXPECT_EQ(value(moved.contactCount()), 41);
    EXPECT_TRUE(second->connectionName().isEmpty());
}

TEST(ContactsDatabase, ImportsVCardFileInOneTransaction)
{
    QTemporaryDir dir;
    auto db = contacts_test::open(dir.filePath(QStringLiteral("c.db")));
    ASSERT_TRUE(db);
    auto file = readVCardFile(QStringLiteral(VPHONE_TEST_DATA "/vcard/apple_3.0.vcf"));
    ASSERT_TRUE(file.ok());
    const QList<qint64> ids = value(db->addContacts(file->contacts));
    ASSERT_EQ(ids.size(), 2);
    QList<Contact> stored = value(db->contacts());
    ASSERT_EQ(stored.size(), 2);
    for (Contact& c : stored)
        c.id = 0;
    // Listed by folded name: "john doe" before "jurgen muller" (the file has them the other way).
    EXPECT_EQ(stored, (QList<Contact>{file->contacts[1], file->contacts[0]}));
    // And out again as vCard: the same contacts come back.
    const VCardImport back = parseVCards(writeVCards(value(db->contacts()), VCardVersion::V4));
    ASSERT_EQ(back.contacts.size(), 2);
    EXPECT_EQ(back.contacts[0], file->contacts[1]);
    EXPECT_EQ(back.contacts[1], file->contacts[0]);
}

TEST(ContactsDatabase, SqlErrorsNameTheStepTheSqliteMessageAndTheFile)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.db"));
    auto db = contacts_test::open(path);
    ASSERT_TRUE(db);
    contacts_test::withRawConnection(path, [](QSqlDatabase& raw) {
        QSqlQuery q(raw);
        ASSERT_TRUE(q.exec(QStringLiteral("DROP TABLE calls")));
    });
    CallRecord call;
    call.peerUri = QStringLiteral("sip:bob@example.com");
    call.startTime = QDateTime::currentDateTimeUtc();
    auto failed = db->addCall(call);
    ASSERT_FALSE(failed.ok());
    const QString what = failed.error().message();
    EXPECT_TRUE(what.startsWith(QStringLiteral("add call: "))) << what.toStdString();
    EXPECT_TRUE(what.contains(QStringLiteral("no such table: calls"))) << what.toStdString();
    EXPECT_TRUE(what.contains(path)) << what.toStdString();
    // The failed transaction was rolled back: the connection still works.
    EXPECT_TRUE(db->addContact(named(QStringLiteral("Still fine"))).ok());
    EXPECT_EQ(value(db->contactCount()), 1);
}
