#include "net/stun_client.h"

#include <algorithm>
#include <charconv>

namespace vphone::net::stun {

BindingClient::BindingClient(const TransactionId& id, TimePoint now, BindingTimers timers)
    : id_(id), timers_(timers), start_(now), nextSend_(now), interval_(timers.rto)
{
    if (timers_.rc < 1) timers_.rc = 1;
    if (timers_.rto <= std::chrono::milliseconds::zero())
        timers_.rto = interval_ = std::chrono::milliseconds(1);
}

std::optional<std::string> BindingClient::pollTransmit()
{
    if (!due_ || state_ != State::Running) return std::nullopt;
    due_ = false;
    ++sent_;
    if (sent_ < timers_.rc) {
        nextSend_ += interval_;
        interval_ *= 2;
    } else {
        nextSend_ += timers_.rto * timers_.rm; // no more requests: the final wait
    }
    return bindingRequest(id_);
}

bool BindingClient::receive(std::string_view datagram, TimePoint now)
{
    (void)now;
    if (state_ != State::Running) return false;
    const auto m = decode(datagram);
    if (!m || m->id != id_) return false;
    if (m->type == kBindingSuccess) {
        if (!m->mapped) {
            fail("success response without a mapped address");
            return true;
        }
        mapped_ = m->mapped;
        state_ = State::Succeeded;
        return true;
    }
    if (m->type == kBindingError) {
        errorCode_ = m->errorCode;
        fail("error response " + std::to_string(m->errorCode));
        return true;
    }
    return false; // a request or indication with our id: not an answer
}

void BindingClient::onTimeout(TimePoint now)
{
    if (state_ != State::Running) return;
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_);
    const bool capped =
        timers_.giveUpAfter > std::chrono::milliseconds::zero() && elapsed >= timers_.giveUpAfter;
    if (capped || (sent_ >= timers_.rc && now >= nextSend_)) {
        fail("no answer after " + std::to_string(sent_) + (sent_ == 1 ? " request in " : " requests in ") +
             std::to_string(elapsed.count()) + " ms");
        return;
    }
    if (!due_ && sent_ < timers_.rc && now >= nextSend_) due_ = true;
}

std::optional<TimePoint> BindingClient::nextTimeout() const
{
    if (state_ != State::Running) return std::nullopt;
    TimePoint at = nextSend_;
    if (timers_.giveUpAfter > std::chrono::milliseconds::zero())
        at = std::min(at, start_ + timers_.giveUpAfter);
    return at;
}

void BindingClient::fail(std::string why)
{
    state_ = State::Failed;
    error_ = std::move(why);
}

std::optional<Server> parseServer(std::string_view text, std::string* error)
{
    const auto bad = [&](std::string why) -> std::optional<Server> {
        if (error) *error = std::move(why);
        return std::nullopt;
    };
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.starts_with("stun:")) text.remove_prefix(5); // RFC 7064 URI form
    Server s;
    std::string_view portText;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            return bad("the STUN server '" + std::string(text) + "' lacks a ']'");
        s.host = std::string(text.substr(1, close - 1));
        const auto rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return bad("unexpected text after ']' in the STUN server");
            portText = rest.substr(1);
            if (portText.empty()) return bad("the STUN server has ':' but no port after it");
        }
    } else if (std::count(text.begin(), text.end(), ':') > 1) {
        s.host = std::string(text); // a bare IPv6 literal
    } else {
        const auto colon = text.find(':');
        s.host = std::string(text.substr(0, colon));
        if (colon != std::string_view::npos) {
            portText = text.substr(colon + 1);
            if (portText.empty()) return bad("the STUN server has ':' but no port after it");
        }
    }
    if (s.host.empty()) return bad("the STUN server has no host (write host or host:port)");
    for (const char c : s.host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '.' || c == '-' || c == ':' || c == '_' || c == '%';
        if (!ok) return bad("the STUN server host '" + s.host + "' has a character a host name cannot have");
    }
    if (!portText.empty()) {
        unsigned long port = 0;
        const auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
        if (ec != std::errc() || end != portText.data() + portText.size())
            return bad("the STUN server port '" + std::string(portText) + "' is not a number");
        if (port < 1 || port > 65535)
            return bad("the STUN server port " + std::string(portText) + " is out of range (1-65535)");
        s.port = static_cast<std::uint16_t>(port);
    }
    return s;
}

std::string toString(const Server& server)
{
    const bool v6 = server.host.find(':') != std::string::npos;
    return (v6 ? "[" + server.host + "]" : server.host) + ":" + std::to_string(server.port);
}

} // namespace vphone::net::stun
