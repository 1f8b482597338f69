// The UserAgent test bench: UAs and scripted peers joined by an in-memory network on a virtual
// clock. Scripted peers are lambdas that see every message sent to their address and answer with
// messages built from text or from TransactionLayer::buildResponse(). Shared by the UserAgent
// test files.
#pragma once

#include "sip/parser.h"
#include "sip/transaction_layer.h"
#include "sip/user_agent.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace uatest {

using namespace vphone::sip;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

inline const Peer kAlice{Transport::Udp, "192.0.2.1", 5060};
inline const Peer kBob{Transport::Udp, "192.0.2.2", 5060};
inline const Peer kServer{Transport::Udp, "192.0.2.10", 5060};

inline Uri uri(std::string_view text)
{
    auto u = parseUri(text);
    EXPECT_TRUE(u) << text;
    return *u;
}

inline Message parse(std::string_view text)
{
    auto m = parseMessage(text);
    EXPECT_TRUE(m) << text;
    return *m;
}

struct Wire {
    Peer from;
    Peer to;
    std::string bytes;
    Message message;
};

/// A UA or a scripted peer at one address.
struct Node {
    Peer addr;
    std::unique_ptr<UserAgent> ua;
    std::function<void(const Message&, const Peer&)> script;
    std::vector<UaEvent> events;

    template <class T> std::vector<T> seen() const
    {
        std::vector<T> out;
        for (const auto& e : events) {
            if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
        }
        return out;
    }
    std::vector<CallStateChanged> callEvents(CallHandle h) const
    {
        std::vector<CallStateChanged> out;
        for (const auto& e : seen<CallStateChanged>()) {
            if (e.call == h) out.push_back(e);
        }
        return out;
    }
    std::optional<CallStateChanged> lastCallEvent(CallHandle h) const
    {
        auto all = callEvents(h);
        if (all.empty()) return std::nullopt;
        return all.back();
    }
    bool sawState(CallHandle h, CallState s) const
    {
        for (const auto& e : callEvents(h)) {
            if (e.state == s) return true;
        }
        return false;
    }
};

/// Moves messages between nodes; time moves only in runFor().
class Net {
public:
    TimePoint now{};
    std::vector<Wire> log; ///< everything delivered or dropped, in order
    std::function<bool(const Wire&)> drop;

    Node& addUa(Peer addr, UaConfig config)
    {
        config.localAddresses = {addr};
        auto seed = std::make_shared<std::uint64_t>(std::hash<std::string>{}(addr.host));
        config.random = [seed] {
            // splitmix64: deterministic per node
            std::uint64_t z = (*seed += 0x9e3779b97f4a7c15ULL);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            return z ^ (z >> 31);
        };
        auto node = std::make_unique<Node>();
        node->addr = addr;
        node->ua = std::make_unique<UserAgent>(std::move(config));
        nodes_.push_back(std::move(node));
        return *nodes_.back();
    }
    Node& addScript(Peer addr, std::function<void(const Message&, const Peer&)> script)
    {
        auto node = std::make_unique<Node>();
        node->addr = addr;
        node->script = std::move(script);
        nodes_.push_back(std::move(node));
        return *nodes_.back();
    }
    /// A scripted peer sends.
    void send(const Peer& from, const Peer& to, const Message& m)
    {
        wire_.push_back(Wire{from, to, m.serialize(), m});
    }
    /// Delivers everything in flight, to quiescence, without moving time.
    void flush()
    {
        for (;;) {
            collect();
            if (wire_.empty()) return;
            Wire w = std::move(wire_.front());
            wire_.pop_front();
            auto parsed = parseMessage(w.bytes);
            EXPECT_TRUE(parsed) << w.bytes;
            if (!parsed) continue;
            w.message = *parsed;
            log.push_back(w);
            if (drop && drop(w)) continue;
            for (auto& n : nodes_) {
                if (n->addr.host != w.to.host || n->addr.port != w.to.port) continue;
                if (n->ua) n->ua->receive(*parsed, w.from, now);
                if (n->script) n->script(*parsed, w.from);
            }
        }
    }
    /// Fires timers deadline by deadline for `duration`.
    void runFor(milliseconds duration)
    {
        const TimePoint end = now + duration;
        flush();
        for (;;) {
            std::optional<TimePoint> next;
            for (auto& n : nodes_) {
                if (!n->ua) continue;
                auto at = n->ua->nextTimeout();
                if (at && (!next || *at < *next)) next = at;
            }
            if (!next || *next > end) break;
            now = std::max(now, *next);
            for (auto& n : nodes_) {
                if (!n->ua) continue;
                auto at = n->ua->nextTimeout();
                if (at && *at <= now) n->ua->onTimeout(now);
            }
            flush();
        }
        now = end;
    }
    /// Messages delivered from `from` (requests of `method`, or responses with `status`).
    std::vector<Message> sent(const Peer& from, Method method) const
    {
        std::vector<Message> out;
        for (const auto& w : log) {
            if (w.from.host == from.host && w.message.isRequest() && w.message.method() == method) {
                out.push_back(w.message);
            }
        }
        return out;
    }
    std::vector<Wire> responses(const Peer& from, int status) const
    {
        std::vector<Wire> out;
        for (const auto& w : log) {
            if (w.from.host == from.host && w.message.isResponse() && w.message.status() == status) {
                out.push_back(w);
            }
        }
        return out;
    }

private:
    void collect()
    {
        for (auto& n : nodes_) {
            if (!n->ua) continue;
            while (auto out = n->ua->pollTransmit()) {
                Peer from = n->addr;
                from.transport = out->to.transport;
                wire_.push_back(Wire{from, out->to, out->bytes, {}});
            }
            while (auto ev = n->ua->pollEvent()) {
                n->events.push_back(std::move(*ev));
            }
        }
    }

    std::vector<std::unique_ptr<Node>> nodes_;
    std::deque<Wire> wire_;
};

inline UaConfig directConfig()
{
    return UaConfig{};
}

inline UaConfig accountConfig(std::string_view aor, std::string_view password = "secret")
{
    UaConfig c;
    c.account = uri(aor);
    c.credentials = DigestCredentials{c.account->user, std::string(password)};
    return c;
}

/// Alice and Bob calling each other directly by IP.
struct DirectCall : ::testing::Test {
    Net net;
    Node& alice = net.addUa(kAlice, directConfig());
    Node& bob = net.addUa(kBob, accountConfig("sip:bob@example.test"));

    CallHandle dial()
    {
        const CallHandle h = alice.ua->call(uri("sip:bob@192.0.2.2"), "v=0 offer", net.now);
        net.flush();
        return h;
    }
    CallHandle incoming()
    {
        const auto calls = bob.seen<IncomingCall>();
        EXPECT_EQ(calls.size(), 1u);
        return calls.empty() ? 0 : calls.back().call;
    }
};

} // namespace uatest
