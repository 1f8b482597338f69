#include "method.h"

#include <array>
#include <utility>

namespace vphone::sip {
namespace {
constexpr std::array<std::pair<std::string_view, Method>, 14> kMethods{{
    {"INVITE", Method::Invite},
    {"ACK", Method::Ack},
    {"BYE", Method::Bye},
    {"CANCEL", Method::Cancel},
    {"OPTIONS", Method::Options},
    {"REGISTER", Method::Register},
    {"PRACK", Method::Prack},
    {"SUBSCRIBE", Method::Subscribe},
    {"NOTIFY", Method::Notify},
    {"PUBLISH", Method::Publish},
    {"INFO", Method::Info},
    {"REFER", Method::Refer},
    {"MESSAGE", Method::Message},
    {"UPDATE", Method::Update},
}};
} // namespace

Method methodFromString(std::string_view text)
{
    if (text.empty()) return Method::Invalid;
    for (const auto& [name, m] : kMethods) {
        if (name == text) return m;
    }
    return Method::Extension;
}

std::string_view methodName(Method m)
{
    for (const auto& [name, id] : kMethods) {
        if (id == m) return name;
    }
    return {};
}

} // namespace vphone::sip
