// Opening the store: connection, pragmas, schema migrations; and the SQL helpers of
// database_sql.h. Contacts are in database_contacts.cpp, history and messages in
// database_history.cpp.
#include "contacts/database.h"

#include "contacts/database_sql.h"
#include "contacts/schema.h"
#include "contacts/search_key.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>

#include <atomic>
#include <utility>

namespace vphone::contacts {

namespace detail {

Error sqlError(const QSqlDatabase& db, const QString& step, const QString& sqlText)
{
    return makeError(QStringLiteral("%1: %2 (%3)").arg(step, sqlText.trimmed(), db.databaseName()));
}

Result<QSqlQuery> run(const QSqlDatabase& db, const QString& step, const QString& sql,
                      const QVariantList& values)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql)) return sqlError(db, step, query.lastError().text());
    for (const QVariant& value : values) {
        // A null QString binds as SQL NULL; the text columns are NOT NULL and mean "empty".
        if (value.typeId() == QMetaType::QString && value.toString().isNull())
            query.addBindValue(QStringLiteral(""));
        else
            query.addBindValue(value);
    }
    if (!query.exec()) return sqlError(db, step, query.lastError().text());
    return query;
}

Result<qint64> scalar(const QSqlDatabase& db, const QString& step, const QString& sql,
                      const QVariantList& values)
{
    auto query = run(db, step, sql, values);
    if (!query) return query.error();
    if (!query->next()) return sqlError(db, step, QStringLiteral("no row"));
    return query->value(0).toLongLong();
}

Status inTransaction(const QSqlDatabase& db, const QString& step, const std::function<Status()>& body)
{
    if (auto begin = run(db, step, QStringLiteral("BEGIN IMMEDIATE")); !begin) return begin.error();
    Status result = body();
    if (result) {
        if (auto commit = run(db, step, QStringLiteral("COMMIT")); commit)
            return kOk;
        else
            result = commit.error();
    }
    // A failed COMMIT may leave the transaction open (SQLITE_BUSY); ROLLBACK either ends it or
    // finds none, and the first error is what the caller needs to see.
    (void)run(db, step, QStringLiteral("ROLLBACK"));
    return result;
}

} // namespace detail

using detail::run;
using detail::scalar;

namespace {

std::atomic<quint64> nextConnection{0};

} // namespace

Result<Database> Database::open(const QString& path)
{
    if (path.isEmpty()) return makeError(QStringLiteral("open contacts database: empty path"));
    if (path != u":memory:") {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath()))
            return makeError(QStringLiteral("open contacts database: cannot create directory %1")
                                 .arg(info.absolutePath()));
    }
    // One name per object, never reused: QtSql keys connections by name process-wide.
    const QString connection = QStringLiteral("vphone-contacts-%1").arg(nextConnection.fetch_add(1) + 1);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
    if (!db.isValid()) {
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connection);
        return makeError(
            QStringLiteral("open contacts database %1: Qt SQLite driver (QSQLITE) not available").arg(path));
    }
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    // From here the Database owns the connection: every early return closes and removes it.
    Database database(std::exchange(db, QSqlDatabase()), path, connection);
    if (!database.db_.open())
        return detail::sqlError(database.db_, QStringLiteral("open contacts database"),
                                database.db_.lastError().text());
    if (auto configured = database.configure(); !configured) return configured.error();
    if (auto migrated = database.migrate(); !migrated) return migrated.error();
    return database;
}

Database::Database(QSqlDatabase db, QString path, QString connection)
    : db_(std::move(db)), path_(std::move(path)), connection_(std::move(connection))
{}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, QSqlDatabase())), path_(std::move(other.path_)),
      connection_(std::exchange(other.connection_, QString()))
{}

Database& Database::operator=(Database&& other) noexcept
{
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, QSqlDatabase());
        path_ = std::move(other.path_);
        connection_ = std::exchange(other.connection_, QString());
    }
    return *this;
}

Database::~Database()
{
    close();
}

void Database::close()
{
    if (connection_.isEmpty()) return;
    db_.close();
    db_ = QSqlDatabase(); // the last handle must be gone before removeDatabase()
    QSqlDatabase::removeDatabase(connection_);
    connection_.clear();
}

Status Database::configure()
{
    // Any file that is not SQLite fails here, on the first read, with "file is not a database".
    auto mode = run(db_, QStringLiteral("set journal_mode=WAL"), QStringLiteral("PRAGMA journal_mode=WAL"));
    if (!mode) return mode.error();
    const QString journal = mode->next() ? mode->value(0).toString() : QString();
    if (journal != u"wal" && journal != u"memory")
        return detail::sqlError(db_, QStringLiteral("set journal_mode=WAL"),
                                QStringLiteral("SQLite kept journal mode '%1'").arg(journal));
    // FULL: with WAL, NORMAL already survives a killed process (the WAL is in the page cache);
    // FULL also fsyncs each commit so the last call or message survives a power cut.
    for (const char* pragma : {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"})
        if (auto set = run(db_, QStringLiteral("configure"), QString::fromLatin1(pragma)); !set)
            return set.error();
    return kOk;
}

Status Database::migrate()
{
    auto version = scalar(db_, QStringLiteral("read schema version"), QStringLiteral("PRAGMA user_version"));
    if (!version) return version.error();
    if (*version > schema::kCurrentVersion)
        return makeError(
            QStringLiteral("contacts database %1 has schema version %2, newer than this vphone (%3)")
                .arg(path_)
                .arg(*version)
                .arg(schema::kCurrentVersion));
    // Ordered steps, each in its own transaction together with its user_version bump, so a
    // crash mid-migration leaves the file at the previous version, not half-way.
    if (*version < 1) {
        auto step = detail::inTransaction(db_, QStringLiteral("create schema v1"), [this]() -> Status {
            for (const QString& sql : schema::v1Statements())
                if (auto done = run(db_, QStringLiteral("create schema v1"), sql); !done) return done.error();
            if (auto done =
                    run(db_, QStringLiteral("create schema v1"), QStringLiteral("PRAGMA user_version=1"));
                !done)
                return done.error();
            return kOk;
        });
        if (!step) return step;
    }
    if (*version < 2)
        if (auto step = migrateV1ToV2(); !step) return step;
    return kOk;
}

Status Database::migrateV1ToV2()
{
    const QString step = QStringLiteral("migrate schema v1 to v2");
    return detail::inTransaction(db_, step, [this, &step]() -> Status {
        for (const QString& sql : schema::v1ToV2Statements())
            if (auto done = run(db_, step, sql); !done) return done.error();
        // The key columns need Unicode folding, which only C++ has: fill them row by row.
        auto all = selectContacts(QString(), {}, QStringLiteral("ORDER BY id"));
        if (!all) return all.error();
        for (const Contact& c : std::as_const(*all)) {
            auto updated = run(
                db_, step, QStringLiteral("UPDATE contacts SET search_key = ?, sort_key = ? WHERE id = ?"),
                {contactSearchKey(c), foldForSearch(c.displayName), c.id});
            if (!updated) return updated.error();
            if (auto rewritten = writeAddresses(c.id, c); !rewritten) return rewritten;
        }
        if (auto done = run(db_, step, QStringLiteral("PRAGMA user_version=2")); !done) return done.error();
        return kOk;
    });
}

} // namespace vphone::contacts
