// vphone-bench-parse: parses the benchmark corpus with vphone and, in the same run, with the
// Debian SIP stacks that were found at configure time, reading the same fields from every
// message; prints ns/msg and msg/s per stack and vphone's speed relative to the fastest peer.
//
//   vphone-bench-parse [--corpus DIR] [--budget SECONDS] [--reps N] [--only a,b] [--no-breakdown]
//                      [--min-ratio X] [--show-fields] [--wall]
//
// Method: the fields every stack extracts are first compared message by message (a stack that
// disagrees with the others fails the run, so a broken adapter cannot report a fake speed). Then
// each stack is calibrated so that one repetition (N passes over the whole corpus) takes about
// budget/reps, and the repetitions are interleaved across stacks (rep 1 of every stack, then
// rep 2...) so that load changes on a shared machine hit every stack alike. The figure is the
// median ns per message over the repetitions, timed by default on the thread's CPU-time clock.
#include "stack.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <time.h>

#ifndef VPHONE_BENCH_CORPUS
#define VPHONE_BENCH_CORPUS "bench/corpus"
#endif

namespace vb = vphone::bench;
using Clock = std::chrono::steady_clock;

namespace {

volatile std::uint64_t g_sink = 0;
bool g_wallClock = false;

/// Nanoseconds on the clock the benchmark times with: the thread's CPU time by default (on a
/// shared 2-core machine being descheduled would otherwise count as parse time), or the
/// monotonic wall clock with --wall.
double nowNs()
{
    if (g_wallClock) return std::chrono::duration<double, std::nano>(Clock::now().time_since_epoch()).count();
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

struct CorpusMessage {
    std::string name; ///< file name without ".sip"
    std::string text; ///< NUL-terminated by std::string
};

struct Candidate {
    const char* name;
    const vb::Stack* stack; ///< nullptr when not compiled in
    bool peer;
};

struct Options {
    std::string corpus = VPHONE_BENCH_CORPUS;
    double budget = 1.5; ///< seconds of timed work per stack for the mixed corpus
    int reps = 7;
    bool breakdown = true;
    bool showFields = false;
    bool wall = false;
    double minRatio = 0;
    std::vector<std::string> only;
};

[[noreturn]] void usage(int code)
{
    std::fprintf(code ? stderr : stdout,
                 "usage: vphone-bench-parse [--corpus DIR] [--budget SECONDS] [--reps N] [--only a,b]\n"
                 "                          [--no-breakdown] [--min-ratio X] [--show-fields] [--wall]\n"
                 "  --corpus DIR     *.sip messages to parse (default %s)\n"
                 "  --budget S       timed seconds per stack on the mixed corpus (default 1.5)\n"
                 "  --reps N         repetitions; the median is reported (default 7)\n"
                 "  --only a,b       run only these stacks (vphone, libosip2, sofia-sip, belle-sip, libre)\n"
                 "  --no-breakdown   skip the per-message table\n"
                 "  --min-ratio X    exit 3 when vphone is less than X times as fast as the fastest peer\n"
                 "  --show-fields    print the fields extracted from each message\n"
                 "  --wall           time with the wall clock instead of the thread's CPU time\n",
                 VPHONE_BENCH_CORPUS);
    std::exit(code);
}

Options parseArgs(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) usage(2);
            return argv[++i];
        };
        if (a == "--corpus")
            o.corpus = next();
        else if (a == "--budget")
            o.budget = std::atof(next().c_str());
        else if (a == "--reps")
            o.reps = std::max(1, std::atoi(next().c_str()));
        else if (a == "--no-breakdown")
            o.breakdown = false;
        else if (a == "--show-fields")
            o.showFields = true;
        else if (a == "--wall")
            o.wall = true;
        else if (a == "--min-ratio")
            o.minRatio = std::atof(next().c_str());
        else if (a == "--only") {
            std::stringstream ss(next());
            for (std::string s; std::getline(ss, s, ',');)
                o.only.push_back(s);
        } else if (a == "-h" || a == "--help")
            usage(0);
        else if (!a.empty() && a[0] != '-')
            o.corpus = a;
        else
            usage(2);
    }
    if (o.budget <= 0) o.budget = 1.5;
    return o;
}

std::vector<CorpusMessage> loadCorpus(const std::string& dir)
{
    std::vector<CorpusMessage> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        if (!e.is_regular_file() || e.path().extension() != ".sip") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        out.push_back({e.path().stem().string(), ss.str()});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return out;
}

std::string describe(const vb::Fields& f)
{
    char port[16];
    std::snprintf(port, sizeof port, ":%u", f.contactPort);
    return "branch=" + f.branch + " from-tag=" + (f.fromTag.empty() ? "-" : f.fromTag) +
           " to-tag=" + (f.toTag.empty() ? "-" : f.toTag) + " call-id=" + f.callId +
           " cseq=" + std::to_string(f.cseq) + " " + f.cseqMethod + " contact=" +
           (f.hasContact ? (f.contactUser.empty() ? "" : f.contactUser + "@") + f.contactHost +
                               (f.contactPort ? port : "")
                         : "absent");
}

/// Every stack must extract the same fields from every message. The reference for a message
/// is the value most stacks agree on. Returns false when any stack fails or disagrees.
bool verify(const std::vector<const vb::Stack*>& stacks, const std::vector<CorpusMessage>& corpus,
            bool showFields)
{
    bool allOk = true;
    for (const auto& msg : corpus) {
        std::vector<std::optional<vb::Fields>> got;
        for (const auto* s : stacks) {
            vb::Fields f;
            if (s->parseAndRead(msg.text, f))
                got.emplace_back(std::move(f));
            else
                got.emplace_back();
        }
        // Majority vote (ties go to the earlier stack, vphone first).
        std::size_t best = 0, bestVotes = 0;
        for (std::size_t i = 0; i < got.size(); ++i) {
            if (!got[i]) continue;
            std::size_t votes = 0;
            for (const auto& g : got)
                votes += g && *g == *got[i];
            if (votes > bestVotes) best = i, bestVotes = votes;
        }
        if (bestVotes == 0) {
            std::printf("MISMATCH %s: no stack could parse it\n", msg.name.c_str());
            allOk = false;
            continue;
        }
        const vb::Fields& ref = *got[best];
        if (showFields) std::printf("  %-22s %s\n", msg.name.c_str(), describe(ref).c_str());
        for (std::size_t i = 0; i < got.size(); ++i) {
            if (got[i] && *got[i] == ref) continue;
            allOk = false;
            std::printf("MISMATCH %s: %s %s\n    expected (majority): %s\n", msg.name.c_str(),
                        stacks[i]->name,
                        got[i] ? ("read " + describe(*got[i])).c_str() : "failed to parse or read the fields",
                        describe(ref).c_str());
        }
    }
    return allOk;
}

/// Parses `msgs` `passes` times; returns elapsed nanoseconds.
double runPasses(const vb::Stack& s, const std::vector<const CorpusMessage*>& msgs, std::size_t passes,
                 vb::Fields& f)
{
    std::uint64_t sum = 0;
    double t0 = nowNs();
    for (std::size_t p = 0; p < passes; ++p)
        for (const auto* m : msgs) {
            sum += s.parseAndRead(m->text, f);
            sum += f.checksum();
        }
    double t1 = nowNs();
    g_sink = g_sink + sum;
    return t1 - t0;
}

struct Timing {
    double medianNs = 0; ///< per message
    double minNs = 0;
    std::size_t passesPerRep = 0;
};

/// Times every stack on `msgs`, `reps` repetitions of about `repSeconds` each, interleaved.
std::vector<Timing> measure(const std::vector<const vb::Stack*>& stacks,
                            const std::vector<const CorpusMessage*>& msgs, int reps, double repSeconds)
{
    std::vector<Timing> out(stacks.size());
    std::vector<std::vector<double>> samples(stacks.size());
    vb::Fields f;
    // Calibrate (doubles as warm-up): passes until 20 ms or a tenth of a repetition has elapsed.
    for (std::size_t i = 0; i < stacks.size(); ++i) {
        double target = std::min(0.02, repSeconds / 10) * 1e9, ns = 0;
        std::size_t passes = 0;
        while (ns < target) {
            std::size_t n = passes ? passes : 1;
            ns += runPasses(*stacks[i], msgs, n, f);
            passes += n;
        }
        double perPass = ns / double(passes);
        out[i].passesPerRep = std::max<std::size_t>(1, std::size_t(repSeconds * 1e9 / perPass));
    }
    for (int r = 0; r < reps; ++r)
        for (std::size_t i = 0; i < stacks.size(); ++i) {
            double ns = runPasses(*stacks[i], msgs, out[i].passesPerRep, f);
            samples[i].push_back(ns / double(out[i].passesPerRep * msgs.size()));
        }
    for (std::size_t i = 0; i < stacks.size(); ++i) {
        auto& v = samples[i];
        std::sort(v.begin(), v.end());
        out[i].medianNs = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
        out[i].minNs = v.front();
    }
    return out;
}

std::string rate(double nsPerMsg)
{
    double r = 1e9 / nsPerMsg;
    char buf[32];
    if (r >= 1e6)
        std::snprintf(buf, sizeof buf, "%.2fM", r / 1e6);
    else if (r >= 1e3)
        std::snprintf(buf, sizeof buf, "%.1fk", r / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f", r);
    return buf;
}

std::string nsText(double ns)
{
    char buf[32];
    if (ns >= 1e5)
        std::snprintf(buf, sizeof buf, "%.0f", ns);
    else
        std::snprintf(buf, sizeof buf, "%.1f", ns);
    return buf;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt = parseArgs(argc, argv);
    g_wallClock = opt.wall;

    // Every stack the program knows, in display order; peers are compiled in only when found.
    std::vector<Candidate> all = {
#ifdef VPHONE_BENCH_HAVE_VPHONE
        {"vphone", &vb::vphoneStack(), false},
#else
        {"vphone", nullptr, false},
#endif
#ifdef VPHONE_BENCH_HAVE_SOFIA
        {"sofia-sip", &vb::sofiaStack(), true},
#else
        {"sofia-sip", nullptr, true},
#endif
#ifdef VPHONE_BENCH_HAVE_OSIP
        {"libosip2", &vb::osipStack(), true},
#else
        {"libosip2", nullptr, true},
#endif
#ifdef VPHONE_BENCH_HAVE_LIBRE
        {"libre", &vb::libreStack(), true},
#else
        {"libre", nullptr, true},
#endif
#ifdef VPHONE_BENCH_HAVE_BELLE
        {"belle-sip", &vb::belleStack(), true},
#else
        {"belle-sip", nullptr, true},
#endif
    };

    auto corpus = loadCorpus(opt.corpus);
    if (corpus.empty()) {
        std::fprintf(stderr, "vphone-bench-parse: no *.sip messages in '%s'\n", opt.corpus.c_str());
        return 2;
    }
    std::size_t bytes = 0;
    for (const auto& m : corpus)
        bytes += m.text.size();

    std::printf("vphone SIP parse benchmark\n");
    std::printf("corpus: %s (%zu messages, %.0f bytes mean)\n", opt.corpus.c_str(), corpus.size(),
                double(bytes) / double(corpus.size()));
    std::printf(
        "work per message: parse, then read top Via branch, From/To tags, Call-ID, CSeq, Contact URI\n");
#if !defined(__OPTIMIZE__) || !defined(NDEBUG)
    std::printf(
        "WARNING: built without optimisation or with assertions; use the release preset for figures\n");
#endif
    {
        std::ifstream la("/proc/loadavg");
        double l1 = 0;
        if (la >> l1 && l1 > 0.7)
            std::printf("note: load average %.2f: other work is running; figures are noisy, the ratio is "
                        "still measured in the same run\n",
                        l1);
    }

    for (const auto& name : opt.only)
        if (std::none_of(all.begin(), all.end(), [&](const Candidate& c) { return name == c.name; }))
            std::printf("warning: --only: unknown stack '%s'\n", name.c_str());

    std::vector<const vb::Stack*> stacks;
    std::vector<bool> isPeer;
    for (const auto& c : all) {
        bool wanted =
            opt.only.empty() || std::find(opt.only.begin(), opt.only.end(), c.name) != opt.only.end();
        if (!wanted) continue;
        if (!c.stack) {
            std::printf(
                "skipped: %s (%s)\n", c.name,
                c.peer ? "its -dev package was not found at configure time; scripts/install-deps.sh --bench"
                       : "not built in");
            continue;
        }
        if (!c.stack->init()) {
            std::printf("skipped: %s (initialisation failed)\n", c.name);
            continue;
        }
        stacks.push_back(c.stack);
        isPeer.push_back(c.peer);
    }
    if (stacks.empty()) {
        std::fprintf(stderr, "vphone-bench-parse: no stack to run\n");
        return 2;
    }

    std::printf("\nchecking that every stack reads the same fields from every message...\n");
    if (!verify(stacks, corpus, opt.showFields)) {
        std::printf(
            "FAILED: stacks disagree (see MISMATCH lines); not timing a stack that reads wrong values\n");
        for (const auto* s : stacks)
            s->shutdown();
        return 1;
    }
    std::printf("ok: %zu stacks agree on all %zu messages\n", stacks.size(), corpus.size());

    std::vector<const CorpusMessage*> mixed;
    for (const auto& m : corpus)
        mixed.push_back(&m);
    double repSeconds = opt.budget / opt.reps;
    std::printf("\nmixed corpus: median of %d repetitions, about %.2f s each per stack, interleaved; %s\n\n",
                opt.reps, repSeconds, opt.wall ? "wall clock" : "thread CPU time");
    auto t = measure(stacks, mixed, opt.reps, repSeconds);

    // Fastest peer.
    std::optional<std::size_t> fastest;
    std::optional<std::size_t> vphone;
    for (std::size_t i = 0; i < stacks.size(); ++i) {
        if (!isPeer[i])
            vphone = i;
        else if (!fastest || t[i].medianNs < t[*fastest].medianNs)
            fastest = i;
    }

    std::printf("%-10s %12s %12s %10s %15s  %s\n", "stack", "ns/msg", "min ns/msg", "msg/s",
                "vphone speed-up", "what \"parse\" covers");
    for (std::size_t i = 0; i < stacks.size(); ++i) {
        std::string ratio = "-";
        if (vphone && i != *vphone) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.1fx", t[i].medianNs / t[*vphone].medianNs);
            ratio = buf;
        }
        std::printf("%-10s %12s %12s %10s %15s  %s\n", stacks[i]->name, nsText(t[i].medianNs).c_str(),
                    nsText(t[i].minNs).c_str(), rate(t[i].medianNs).c_str(), ratio.c_str(),
                    stacks[i]->detail);
    }

    int rc = 0;
    if (vphone && fastest) {
        double ratio = t[*fastest].medianNs / t[*vphone].medianNs;
        std::printf(
            "\nvphone is %.1fx the fastest peer (%s): %s ns/msg vs %s ns/msg (target: at least 3x, %s)\n",
            ratio, stacks[*fastest]->name, nsText(t[*vphone].medianNs).c_str(),
            nsText(t[*fastest].medianNs).c_str(), ratio >= 3.0 ? "met" : "NOT met");
        std::printf("(best repetitions: %.1fx, %s vs %s ns/msg)\n", t[*fastest].minNs / t[*vphone].minNs,
                    nsText(t[*vphone].minNs).c_str(), nsText(t[*fastest].minNs).c_str());
        if (opt.minRatio > 0 && ratio < opt.minRatio) {
            std::printf("FAILED: below --min-ratio %.2f\n", opt.minRatio);
            rc = 3;
        }
    } else if (vphone) {
        std::printf("\nno peer stack available: no ratio (scripts/install-deps.sh --bench)\n");
    }

    if (opt.breakdown) {
        // Per message and stack: budget/15 seconds (0.1 s by default).
        double cellSeconds = opt.budget / 15;
        int reps = opt.reps;
        std::printf("\nper message (median ns/msg of %d repetitions):\n", reps);
        std::printf("%-22s %6s", "message", "bytes");
        for (const auto* s : stacks)
            std::printf(" %11s", s->name);
        if (vphone && fastest) std::printf(" %12s", "vphone/peer");
        std::printf("\n");
        for (const auto& m : corpus) {
            std::vector<const CorpusMessage*> one{&m};
            auto tm = measure(stacks, one, reps, cellSeconds / reps);
            std::printf("%-22s %6zu", m.name.c_str(), m.text.size());
            for (const auto& x : tm)
                std::printf(" %11s", nsText(x.medianNs).c_str());
            if (vphone && fastest) {
                // Fastest peer on this message.
                double best = 0;
                for (std::size_t i = 0; i < stacks.size(); ++i)
                    if (isPeer[i] && (best == 0 || tm[i].medianNs < best)) best = tm[i].medianNs;
                std::printf(" %11.1fx", best / tm[*vphone].medianNs);
            }
            std::printf("\n");
        }
    }

    for (const auto* s : stacks)
        s->shutdown();
    return rc;
}
