// Google Benchmark of the SDP library on the real-world corpus (tests/data/sdp): parse,
// serialise, and answering an offer (parse + negotiate + serialise, what a UA does per INVITE).
// Run: build/release/bench/vphone-bench-sdp
#include "sdp/offer_answer.h"
#include "sdp/session_description.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

using namespace vphone::sdp;

namespace {

std::string load(const char* name)
{
    std::ifstream in(std::string(VPHONE_SDP_CORPUS "/") + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text;
    for (char c : ss.str()) {
        if (c == '\n') text += '\r';
        text += c;
    }
    if (text.empty()) std::abort();
    return text;
}

LocalSession local()
{
    LocalSession l;
    l.address = "127.0.0.1";
    LocalStream a;
    a.id = "audio";
    a.port = 4000;
    a.codecs = {Codec{"opus", 48000, 2, 111, "useinbandfec=1"}, Codec{"PCMU", 8000, 1, 0, ""},
                Codec{"telephone-event", 8000, 1, 101, "0-16"}};
    l.streams = {a};
    return l;
}

void parseFile(benchmark::State& state, const char* name)
{
    const std::string text = load(name);
    for (auto _ : state) {
        auto sdp = parse(text);
        benchmark::DoNotOptimize(sdp);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void serializeFile(benchmark::State& state, const char* name)
{
    const auto sdp = parse(load(name));
    for (auto _ : state) {
        auto text = serialize(*sdp);
        benchmark::DoNotOptimize(text);
    }
}

void answerFile(benchmark::State& state, const char* name)
{
    const std::string text = load(name);
    const LocalSession l = local();
    for (auto _ : state) {
        OfferAnswerSession session("1");
        auto answer = session.receiveOffer(*parse(text), l);
        if (!answer) std::abort();
        auto out = serialize(answer->sdp);
        benchmark::DoNotOptimize(out);
    }
}

} // namespace

BENCHMARK_CAPTURE(parseFile, baresip, "baresip-srtp-mand-offer.sdp");
BENCHMARK_CAPTURE(parseFile, linphone, "linphone-offer.sdp");
BENCHMARK_CAPTURE(parseFile, chrome, "chrome-webrtc-offer.sdp");
BENCHMARK_CAPTURE(serializeFile, chrome, "chrome-webrtc-offer.sdp");
BENCHMARK_CAPTURE(answerFile, sipp, "sipp-pcmu.sdp");
BENCHMARK_CAPTURE(answerFile, linphone, "linphone-offer.sdp");

BENCHMARK_MAIN();
