// The SQLite schema of the contacts store and its migrations, version by version. The DDL of
// every past version stays here verbatim: migrations replay it, and tests build old files with it.
#pragma once

#include <QStringList>

namespace vphone::contacts::schema {

/// The version this code writes into `PRAGMA user_version`.
inline constexpr int kCurrentVersion = 2;

/// Version 1 (vphone 0.1): contacts with their SIP addresses and phone numbers, nothing else.
QStringList v1Statements();

/// Version 1 -> 2: favourite/BLF flags, photo, the search/sort/match key columns (filled in
/// C++ by the migration, since SQLite cannot fold Unicode), call history and messages.
QStringList v1ToV2Statements();

} // namespace vphone::contacts::schema
