// fuzz_conference_info: the conference-info reader (core/ua/conference_info.h, RFC 4575) on
// arbitrary bytes. Invariants:
//   - a failure always says why (non-empty error), a success never leaves one;
//   - every user read has its entity;
//   - a document read is written back with writeConferenceInfo() and reads back with the same
//     users in the same order (when its text is plain: XML 1.0 cannot carry control characters);
//   - merging it into an empty roster takes it (unless it says the conference was deleted), and
//     rosterOf() gives one row per user.
#include "ua/conference_info.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace vphone::ua;

namespace {

[[noreturn]] void fail(const char* what, const QByteArray& input)
{
    std::fprintf(stderr, "conference-info fuzz: %s\n%.*s\n", what, static_cast<int>(input.size()),
                 input.constData());
    std::abort();
}

bool plainText(const QString& s)
{
    for (QChar c : s) {
        if (c.unicode() < 0x20 || c.isSurrogate() || c.unicode() >= 0xfffe) return false;
    }
    return true;
}

bool plainDocument(const ConferenceInfo& info)
{
    if (!plainText(info.entity) || !plainText(info.subject)) return false;
    for (const auto& u : info.users) {
        if (!plainText(u.entity) || !plainText(u.displayText)) return false;
        for (const auto& e : u.endpoints) {
            if (!plainText(e.entity) || !plainText(e.displayText) || !plainText(e.status)) return false;
            for (const auto& m : e.media) {
                if (!plainText(m.id) || !plainText(m.type) || !plainText(m.status)) return false;
            }
        }
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    QString error;
    auto info = parseConferenceInfo(input, &error);
    if (!info) {
        if (error.isEmpty()) fail("failure without an error", input);
        return 0;
    }
    if (!error.isEmpty()) fail("success with an error", input);
    for (const auto& u : info->users) {
        if (u.entity.isEmpty()) fail("user without entity accepted", input);
    }
    if (plainDocument(*info)) {
        const QByteArray written = writeConferenceInfo(*info);
        auto again = parseConferenceInfo(written, &error);
        if (!again) fail("our own document does not read back", written);
        if (again->users.size() != info->users.size()) fail("user count changed on the round trip", written);
        for (qsizetype i = 0; i < info->users.size(); ++i) {
            if (again->users[i].entity != info->users[i].entity)
                fail("user changed on the round trip", written);
            if (again->users[i].displayText != info->users[i].displayText) fail("name changed", written);
        }
    }
    ConferenceInfo held;
    const bool taken = mergeConferenceInfo(held, *info);
    if (taken == (info->state == QLatin1String("deleted"))) fail("merge into an empty roster", input);
    if (taken && rosterOf(held).size() != held.users.size()) fail("roster rows differ from users", input);
    return 0;
}
