// `convlens bench H K [--threads N] [--repeats R]`: one JSON line with the medians, and one
// clear line with status 2 for every bad number.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/run_binary.h"

namespace convlens::cli {
namespace {

TEST(BenchCli, PrintsTheMediansAsJson) {
    const RunResult run = run_binary({"bench", "40", "5", "--threads", "2", "--repeats", "3"});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.err, "");
    const nlohmann::json report = nlohmann::json::parse(run.out);
    EXPECT_EQ(report.at("H"), 40);
    EXPECT_EQ(report.at("K"), 5);
    EXPECT_EQ(report.at("threads"), 2);
    EXPECT_EQ(report.at("repeats"), 3);
    const double total = report.at("median_ms");
    EXPECT_GT(total, 0);
    for (const char* pass : {"forward_ms", "grad_input_ms", "grad_kernel_ms"}) {
        const double ms = report.at(pass);
        EXPECT_GE(ms, 0) << pass;
        EXPECT_LE(ms, 1000) << pass;  // a 40x40 pass takes microseconds, not a second
    }
    EXPECT_TRUE(std::isfinite(double(report.at("checksum"))));
    EXPECT_EQ(report.at("stride"), 1);
}

TEST(BenchCli, TimesAStridedLayer) {
    const RunResult run = run_binary({"bench", "40", "5", "--stride", "2", "--repeats", "3"});
    ASSERT_EQ(run.status, 0) << run.err;
    const nlohmann::json report = nlohmann::json::parse(run.out);
    EXPECT_EQ(report.at("stride"), 2);
    EXPECT_GT(double(report.at("median_ms")), 0);
}

TEST(BenchCli, BadNumbersAreOneLineAndStatusTwo) {
    struct Case {
        std::vector<std::string> args;
        std::string names;  // what the line must name
    };
    const Case cases[] = {
        {{"bench", "0", "3"}, "H expects a whole number from 1 to 4096, got \"0\""},
        {{"bench", "99999999999", "3"}, "H expects"},
        {{"bench", "8", "9"}, "K expects a whole number from 1 to 8, got \"9\""},
        {{"bench", "64", "33"}, "K expects a whole number from 1 to 32"},
        {{"bench", "8", "3x"}, "got \"3x\""},
        {{"bench", "8", "3", "--threads", "0"}, "--threads expects"},
        {{"bench", "8", "3", "--repeats", "-1"}, "--repeats expects"},
        {{"bench", "8", "3", "--stride", "0"}, "--stride expects a whole number from 1 to 32"},
    };
    for (const Case& c : cases) {
        const RunResult run = run_binary(c.args);
        EXPECT_EQ(run.status, 2) << c.args[1] << " " << c.args[2];
        EXPECT_EQ(run.out, "");
        EXPECT_NE(run.err.find(c.names), std::string::npos) << run.err;
        EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << run.err;  // exactly one line
    }
}

}  // namespace
}  // namespace convlens::cli
