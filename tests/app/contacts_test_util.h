// Helpers of the contacts store tests: a database in a fresh temporary directory, and a raw
// QtSql connection for looking underneath the API.
#pragma once

#include "contacts/database.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <ostream>

/// Lets GoogleTest print QStrings (and lists of them) as text.
inline void PrintTo(const QString& text, std::ostream* os)
{
    *os << '"' << text.toStdString() << '"';
}

namespace contacts_test {

/// The value of `result`, failing the test with its error text when there is none.
template <class T> T value(vphone::contacts::Result<T> result)
{
    EXPECT_TRUE(result.ok()) << (result.ok() ? std::string() : result.error().what.toStdString());
    return result.ok() ? std::move(*result) : T{};
}

/// Opens `path`, failing the test (and returning nullopt) on error.
inline std::optional<vphone::contacts::Database> open(const QString& path)
{
    auto db = vphone::contacts::Database::open(path);
    EXPECT_TRUE(db.ok()) << (db.ok() ? std::string() : db.error().what.toStdString());
    if (!db.ok()) return std::nullopt;
    return std::optional<vphone::contacts::Database>(std::move(*db));
}

/// Runs `body` with a plain QtSql connection to `path` (its own name), then removes it.
inline void withRawConnection(const QString& path, const std::function<void(QSqlDatabase&)>& body)
{
    const QString name = QStringLiteral("contacts-test-raw");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        ASSERT_TRUE(db.open());
        body(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

/// The first column of the first row of `sql` on a raw connection.
inline QVariant rawScalar(QSqlDatabase& db, const QString& sql)
{
    QSqlQuery q(db);
    EXPECT_TRUE(q.exec(sql)) << sql.toStdString();
    return q.next() ? q.value(0) : QVariant();
}

} // namespace contacts_test
