// Internal to vphone_contacts: running SQL with errors that name the step, the SQLite message
// and the file, and wrapping changes in one transaction.
#pragma once

#include "contacts/error.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <functional>

namespace vphone::contacts::detail {

/// "step: <SQLite message> (<file>)".
Error sqlError(const QSqlDatabase& db, const QString& step, const QString& sqlText);

/// Prepares `sql`, binds `values` to its '?' in order and runs it.
Result<QSqlQuery> run(const QSqlDatabase& db, const QString& step, const QString& sql,
                      const QVariantList& values = {});

/// The first column of the first row of `sql` as an integer (COUNT, user_version...).
Result<qint64> scalar(const QSqlDatabase& db, const QString& step, const QString& sql,
                      const QVariantList& values = {});

/// Runs `body` inside BEGIN IMMEDIATE ... COMMIT (the write lock is taken up front, so two
/// connections never deadlock upgrading a read lock); rolls back when `body` fails.
Status inTransaction(const QSqlDatabase& db, const QString& step, const std::function<Status()>& body);

/// The UTC milliseconds stored for `time`.
inline qint64 toMs(const QDateTime& time)
{
    return time.toMSecsSinceEpoch();
}

} // namespace vphone::contacts::detail
