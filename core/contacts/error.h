// Errors and the Result type of the contacts library (vphone_contacts, vphone_vcard), following
// the one pattern of core/: vphone::Expected<T, Error> (core/common/expected.h).
#pragma once

#include "common/expected.h"

#include <QString>

#include <utility>
#include <variant>

namespace vphone::contacts {

/// Why a storage call failed: the step, the SQL error text and the database file, in one
/// sentence for a log line or a message box ("insert contact: UNIQUE constraint failed (…/vphone.db)").
struct Error {
    QString what; ///< human text naming what failed and why

    /// The text of the error (same as `what`; named like the other libraries' errors).
    const QString& message() const { return what; }
};

/// A value or an Error.
template <class T> using Result = Expected<T, Error>;

/// The result of a call that returns nothing on success.
using Status = Result<std::monostate>;

/// The success value of a Status.
inline constexpr std::monostate kOk{};

/// Makes an Error in one expression.
inline Error makeError(QString what)
{
    return Error{std::move(what)};
}

} // namespace vphone::contacts
