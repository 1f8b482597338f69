// RFC 4475 and RFC 5118 torture messages: every file gets one of the verdicts INDEX.md allows.
#include "sip/validate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Case {
    std::string file;
    std::vector<std::string> allowed; // "OK INVITE", "REJECT 400", "DROP"
};

std::string readAll(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Rows of INDEX.md: | `file.sip` | section | what | `verdict` | basis |
std::vector<Case> loadIndex()
{
    const auto dir = std::filesystem::path(VPHONE_TEST_DATA) / "torture";
    std::istringstream index(readAll(dir / "INDEX.md"));
    std::vector<Case> cases;
    std::string line;
    while (std::getline(index, line)) {
        if (line.rfind("| `", 0) != 0) continue;
        std::vector<std::string> cells;
        std::size_t pos = 1;
        // Cells are separated by " | "; the verdict cell escapes its own '|' as "\|".
        std::string cell;
        for (; pos < line.size(); ++pos) {
            if (line[pos] == '\\' && pos + 1 < line.size() && line[pos + 1] == '|') {
                cell += '|';
                ++pos;
            } else if (line[pos] == '|') {
                cells.push_back(cell);
                cell.clear();
            } else {
                cell += line[pos];
            }
        }
        if (cells.size() < 4) continue;
        auto strip = [](std::string s) {
            const auto a = s.find('`');
            const auto b = s.rfind('`');
            return (a != std::string::npos && b > a) ? s.substr(a + 1, b - a - 1) : s;
        };
        Case c;
        c.file = strip(cells[0]);
        std::istringstream verdicts(strip(cells[3]));
        std::string v;
        while (std::getline(verdicts, v, '|'))
            c.allowed.push_back(v);
        cases.push_back(c);
    }
    return cases;
}

/// "REJECT 400 Bad Request (...)" -> "REJECT 400"; "OK INVITE" and "DROP" unchanged.
std::string verdictKey(const std::string& line)
{
    if (line.rfind("REJECT ", 0) == 0) return line.substr(0, 10);
    return line;
}

TEST(TortureMessages, IndexListsAllSixtyOneFiles)
{
    const auto cases = loadIndex();
    EXPECT_EQ(cases.size(), 61u);
    const auto dir = std::filesystem::path(VPHONE_TEST_DATA) / "torture";
    std::size_t onDisk = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        onDisk += e.path().extension() == ".sip";
    EXPECT_EQ(onDisk, cases.size());
}

TEST(TortureMessages, EveryMessageGetsAnAllowedVerdict)
{
    const auto dir = std::filesystem::path(VPHONE_TEST_DATA) / "torture";
    for (const auto& c : loadIndex()) {
        const std::string bytes = readAll(dir / c.file);
        ASSERT_FALSE(bytes.empty()) << c.file;
        std::string why;
        const std::string line = vphone::sip::verdictLine(bytes, vphone::sip::Framing::Datagram, {}, &why);
        const std::string key = verdictKey(line);
        bool ok = false;
        for (const auto& a : c.allowed)
            ok = ok || a == key;
        std::string allowed;
        for (const auto& a : c.allowed)
            allowed += "[" + a + "] ";
        EXPECT_TRUE(ok) << c.file << ": got '" << line << "' (" << why << "), allowed " << allowed;
    }
}

TEST(TortureMessages, PreferredVerdictIsGivenWhereTheRfcPrefersOne)
{
    // Each of these gets the RFC's first (preferred) verdict, not just an acceptable one.
    const auto dir = std::filesystem::path(VPHONE_TEST_DATA) / "torture";
    std::size_t preferred = 0;
    std::size_t total = 0;
    for (const auto& c : loadIndex()) {
        const std::string key = verdictKey(vphone::sip::verdictLine(readAll(dir / c.file)));
        ++total;
        preferred += key == c.allowed.front();
    }
    EXPECT_GE(preferred, total - 6) << "preferred verdicts: " << preferred << " of " << total;
}

} // namespace
