#include "ua/account_router.h"

#include "sip/charset.h"

#include <optional>
#include <string_view>

namespace vphone::ua {

namespace {

constexpr std::string_view kCookie = "z9hG4bK";

/// The single match among `candidates` satisfying pred, if exactly one does.
template <class Pred> std::optional<std::size_t> unique(const std::vector<AccountKey>& accounts, Pred pred)
{
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        if (!pred(accounts[i])) continue;
        if (found) return std::nullopt;
        found = i;
    }
    return found;
}

} // namespace

std::string branchTagFor(std::size_t index)
{
    return "a" + std::to_string(index) + "x";
}

std::size_t routeToAccount(const sip::Message& message, const std::vector<AccountKey>& accounts)
{
    if (accounts.size() < 2) return 0;
    if (message.isResponse()) {
        const auto via = message.topViaView();
        if (!via || via->branch.substr(0, kCookie.size()) != kCookie) return 0;
        const std::string_view rest = via->branch.substr(kCookie.size());
        for (std::size_t i = 0; i < accounts.size(); ++i) {
            const auto& tag = accounts[i].branchTag;
            if (!tag.empty() && rest.substr(0, tag.size()) == tag) return i;
        }
        return 0;
    }
    std::string toUser;
    std::string toHost;
    if (const auto to = message.to()) {
        toUser = to->uri.user;
        toHost = to->uri.host;
    }
    const auto sameHost = [](const std::string& a, const std::string& b) {
        return sip::charset::iequals(a, b);
    };
    if (const auto ruri = message.requestUri(); ruri && !ruri->user.empty()) {
        const std::string& user = ruri->user;
        if (auto i = unique(accounts, [&](const AccountKey& a) { return a.user == user; })) return *i;
        // Two accounts with the same user on different domains: the To host decides.
        if (auto i = unique(accounts,
                            [&](const AccountKey& a) { return a.user == user && sameHost(a.host, toHost); }))
            return *i;
    }
    if (!toUser.empty()) {
        if (auto i = unique(
                accounts, [&](const AccountKey& a) { return a.user == toUser && sameHost(a.host, toHost); }))
            return *i;
        if (auto i = unique(accounts, [&](const AccountKey& a) { return a.user == toUser; })) return *i;
    }
    return 0;
}

} // namespace vphone::ua
