// TeX-like label sources -> runs of base, raised and lowered text: the notation of the
// lesson (\delta^{l+1}_{m-i+1,n-j+1}) must come out as a student would write it, and no
// input, however broken, may crash or throw.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "canvas/math_text.h"

namespace convlens {
namespace {

TextRun base(std::string t) { return {std::move(t), Script::Base, false}; }
TextRun super(std::string t, bool stacked = false) { return {std::move(t), Script::Super, stacked}; }
TextRun sub(std::string t, bool stacked = false) { return {std::move(t), Script::Sub, stacked}; }

std::vector<TextRun> runs(std::string_view source) { return parse_math(source).runs; }

TEST(MathText, TheSeedQuestionsIndexExpression) {
    // delta, then l+1 raised, then the index lowered and stacked under it, with true minus signs.
    EXPECT_EQ(runs("\\delta^{l+1}_{m-i+1,n-j+1}"),
              (std::vector<TextRun>{base("δ"), super("l+1"), sub("m−i+1,n−j+1", true)}));
}

TEST(MathText, SubscriptThenSuperscriptStacksTheOtherWay) {
    EXPECT_EQ(runs("x_1^2"), (std::vector<TextRun>{base("x"), sub("1"), super("2", true)}));
}

TEST(MathText, ScriptsSeparatedByTextDoNotStack) {
    EXPECT_EQ(runs("\\delta^{l+1}_{2,1} \\cdot w_{2,2}"),
              (std::vector<TextRun>{base("δ"), super("l+1"), sub("2,1", true), base(" · w"),
                                    sub("2,2")}));
}

TEST(MathText, GridTitles) {
    EXPECT_EQ(runs("z^{l}"), (std::vector<TextRun>{base("z"), super("l")}));
    EXPECT_EQ(parse_math("\\partial J / \\partial w").plain(), "∂J / ∂w");
    EXPECT_EQ(runs("a^{l} = f(z^{l})"),
              (std::vector<TextRun>{base("a"), super("l"), base(" = f(z"), super("l"), base(")")}));
}

TEST(MathText, MinusSignAndPrime) {
    EXPECT_EQ(parse_math("-1.5").plain(), "\u22121.5");
    EXPECT_EQ(parse_math("f'(z)").plain(), "f\u2032(z)");
}

TEST(MathText, GreekLettersAndOperators) {
    EXPECT_EQ(parse_math("\\alpha\\beta\\Delta\\sigma").plain(), "αβΔσ");
    EXPECT_EQ(parse_math("\\nabla \\sum").plain(), "∇∑");
    EXPECT_EQ(parse_math("a\\times b").plain(), "a × b");
    EXPECT_EQ(parse_math("a \\star b").plain(), "a ⋆ b");
    EXPECT_EQ(parse_math("x \\leq y \\neq z").plain(), "x ≤ y ≠ z");
    EXPECT_EQ(parse_math("x \\in S \\to T").plain(), "x ∈ S → T");
}

TEST(MathText, OperatorsInsideScriptsAreTight) {
    EXPECT_EQ(runs("w_{a \\cdot b}"), (std::vector<TextRun>{base("w"), sub("a·b")}));
}

TEST(MathText, TextIsVerbatim) {
    EXPECT_EQ(parse_math("\\text{cross-correlation}").plain(), "cross-correlation");
    EXPECT_EQ(runs("J_{\\text{a-b}}"), (std::vector<TextRun>{base("J"), sub("a-b")}));
}

TEST(MathText, SpacingCommandsAndEscapedBraces) {
    EXPECT_EQ(parse_math("a\\,b").plain(), "a\u2009b");
    EXPECT_EQ(parse_math("\\{1,2\\}").plain(), "{1,2}");
}

TEST(MathText, TildeIsACombiningMark) {
    EXPECT_EQ(parse_math("\\tilde{a}").plain(), "a\u0303");
    EXPECT_EQ(parse_math("\\tilde a").plain(), "a\u0303");
    EXPECT_EQ(runs("\\tilde{a}^{l}"), (std::vector<TextRun>{base("a\u0303"), super("l")}));
}

TEST(MathText, UnknownCommandsKeepTheirName) {
    EXPECT_EQ(parse_math("\\foo").plain(), "foo");
    EXPECT_EQ(parse_math("\\max(a)").plain(), "max(a)");
}

TEST(MathText, SingleTokenScriptsAndCommandScripts) {
    EXPECT_EQ(runs("x^2y"), (std::vector<TextRun>{base("x"), super("2"), base("y")}));
    EXPECT_EQ(runs("w^\\prime"), (std::vector<TextRun>{base("w"), super("′")}));
    EXPECT_EQ(runs("x_\\alpha"), (std::vector<TextRun>{base("x"), sub("α")}));
}

TEST(MathText, NestedScriptsFlatten) {
    EXPECT_EQ(runs("x^{a_{b^{c}}}"), (std::vector<TextRun>{base("x"), super("abc")}));
}

TEST(MathText, SpaceBeforeAScriptStillStacks) {
    EXPECT_EQ(runs("x^a _b"), (std::vector<TextRun>{base("x"), super("a"), sub("b", true)}));
}

TEST(MathText, EmptyScriptsVanish) {
    EXPECT_TRUE(runs("").empty());
    EXPECT_EQ(runs("x^{}_{b}"), (std::vector<TextRun>{base("x"), sub("b")}));
}

TEST(MathText, PlainConcatenatesRuns) {
    EXPECT_EQ(parse_math("\\delta^{l}_{3,2}").plain(), "δl3,2");
}

TEST(MathText, BrokenSourcesNeverThrow) {
    EXPECT_EQ(parse_math("x^").plain(), "x");
    EXPECT_EQ(parse_math("x_").plain(), "x");
    EXPECT_EQ(runs("x_{ab"), (std::vector<TextRun>{base("x"), sub("ab")}));
    EXPECT_EQ(parse_math("}}}{{{x").plain(), "x");
    EXPECT_EQ(parse_math("a\\").plain(), "a");
    EXPECT_EQ(parse_math("\\tilde").plain(), "");
    EXPECT_EQ(parse_math("^{^{_").plain(), "");
    EXPECT_NO_THROW(parse_math(std::string("\xff\xfe\x80", 3)));
}

TEST(MathText, DeepNestingDoesNotExhaustTheStack) {
    std::string deep;
    for (int k = 0; k < 20000; ++k) deep += "\\tilde{";
    deep += "x";
    EXPECT_NO_THROW(parse_math(deep));
    std::string braces(100000, '{');
    EXPECT_NO_THROW(parse_math("x^" + braces));
}

TEST(MathText, RandomSourcesNeverThrow) {
    const std::string alphabet = "\\{}^_ab -'$~,;!1\xce\xb4tildecdot";
    std::mt19937 rng(20240611);
    std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1), length(0, 40);
    for (int k = 0; k < 20000; ++k) {
        std::string s;
        for (size_t n = length(rng); n > 0; --n) s += alphabet[pick(rng)];
        ASSERT_NO_THROW(parse_math(s)) << s;
    }
}

}  // namespace
}  // namespace convlens
