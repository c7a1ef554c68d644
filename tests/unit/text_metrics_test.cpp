// Width estimates against DejaVu Sans itself: the references below are the font's own
// advance widths (hmtx, 2048 units per em) summed at size 10, with scripts at 0.7 of the
// base size and a stacked script sharing the x of the one above it, as the backends draw.
// The layout only needs to keep neighbours apart, so a few per cent is close enough; the
// old estimate (0.6 em per code point, scripts at full size) was 1.3 to 1.7 times too wide.
#include <string>

#include <gtest/gtest.h>

#include "canvas/math_text.h"
#include "canvas/text_metrics.h"

namespace convlens {
namespace {

struct Known {
    std::string tex;
    float dejavu;  // layout units at size 10
};

// Summed run by run from the font file, e.g. w_{2,1}: 'w' 8.18 + 0.7 * ('2' 6.36 + ','
// 3.18 + '1' 6.36) = 19.31.
const Known kKnown[] = {
    {"\\delta^{l}_{3,2} = \\delta^{l+1}_{3,2} \\cdot w_{1,1} + \\delta^{l+1}_{3,1} \\cdot w_{1,2}",
     141.18f},
    {"z^{l+1}", 17.51f},
    {"\\partial J / \\partial w", 31.20f},
    {"w_{2,1}", 19.31f},
    {"= 1 \\cdot 1 + (-2) \\cdot 0 + 2 \\cdot 2", 123.99f},
};

TEST(TextMetrics, MathWidthIsCloseToDejaVuSans) {
    for (const Known& k : kKnown) {
        const float estimate = estimate_math_width(parse_math(k.tex), 10);
        EXPECT_GT(estimate, 0.93f * k.dejavu) << k.tex << ": " << estimate;
        EXPECT_LT(estimate, 1.07f * k.dejavu) << k.tex << ": " << estimate;
    }
}

TEST(TextMetrics, PlainTextWidthIsCloseToDejaVuSans) {
    // A grid caption: 50 characters, 256.2 units at size 10 (0.51 em on average).
    const float caption = estimate_text_width("output of the backward pass: weight gradient, 3×3", 10);
    EXPECT_GT(caption, 0.95f * 256.2f);
    EXPECT_LT(caption, 1.05f * 256.2f);
    // Digits are tabular in DejaVu: 0.636 em each; the minus sign is as wide as '+'.
    EXPECT_NEAR(estimate_text_width("123", 10), 19.08f, 0.01f);
    EXPECT_NEAR(estimate_text_width("\u2212", 10), estimate_text_width("+", 10), 0.01f);
    EXPECT_FLOAT_EQ(estimate_text_width("", 10), 0);
    EXPECT_FLOAT_EQ(estimate_text_width("abc", 20), 2 * estimate_text_width("abc", 10));
}

TEST(TextMetrics, ScriptsAreSmallerAndStackedScriptsShareTheirX) {
    const float base = estimate_math_width(parse_math("x"), 10);
    // x^{2}: the script adds 0.7 of a base-size '2'.
    EXPECT_NEAR(estimate_math_width(parse_math("x^{2}"), 10),
                base + kScriptScale * estimate_text_width("2", 10), 0.01f);
    // x^{2}_{3,4}: the subscript stacks under the superscript, so only the wider counts.
    EXPECT_NEAR(estimate_math_width(parse_math("x^{2}_{3,4}"), 10),
                base + kScriptScale * estimate_text_width("3,4", 10), 0.01f);
}

TEST(TextMetrics, GreekAndOperatorsAreNotCountedAsAverageLetters) {
    EXPECT_NEAR(estimate_text_width("δ", 10), 6.12f, 0.3f);
    EXPECT_NEAR(estimate_text_width("∑", 10), 6.74f, 0.3f);
    EXPECT_NEAR(estimate_text_width("·", 10), 3.18f, 0.3f);
    // A combining tilde adds nothing: z̃ is as wide as z.
    EXPECT_FLOAT_EQ(estimate_math_width(parse_math("\\tilde{z}"), 10),
                    estimate_math_width(parse_math("z"), 10));
}

TEST(TextMetrics, BrokenUtf8StillCounts) {
    EXPECT_GT(estimate_text_width("\xE2\x88", 10), 0);  // a truncated ∑
    EXPECT_GT(estimate_text_width("\xFF", 10), 0);
}

}  // namespace
}  // namespace convlens
