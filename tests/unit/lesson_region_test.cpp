// Lessons on big grids walk a region: hand-worked region lessons on a 4x4 input (one-based
// in the comments), the default region of a 128x128 scene against the engine's reference
// loops, every step's marks inside the region and the windows it needs, bad regions, and
// the equivalence and derivation lessons computing both forms themselves on the fast path.
//
// [SECTION] A 4x4 input by hand
// [SECTION] A 128x128 scene: default regions against the engine
// [SECTION] Bad regions
// [SECTION] The fast path: scatter and gather summed by the lesson

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "engine/layer.h"
#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "lesson/lesson_common.h"
#include "lesson/lesson_region.h"
#include "unit/autodiff.h"
#include "unit/lesson_test_support.h"

namespace convlens {
namespace {

using namespace lesson_test;

// [SECTION] A 4x4 input by hand
//
// z_{m,n} = 10m + n (one-based), w = [[1,2],[3,4]], no padding, J = sum z^{l+1}, so
// delta^{l+1} = 1 everywhere on the 3x3 output and
//   z^{l+1}_{p,q} = 1(10p+q) + 2(10p+q+1) + 3(10(p+1)+q) + 4(10(p+1)+q+1) = 100p + 10q + 76.
Scene tens_scene() {
    Scene scene;
    scene.input = Matrix(4, 4);
    for (int m = 0; m < 4; ++m)
        for (int n = 0; n < 4; ++n) scene.input(m, n) = 10.0 * (m + 1) + (n + 1);
    scene.kernel = matrix_from_rows({{1, 2}, {3, 4}});
    return scene;
}

bool contains_text(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(LessonRegion, ForwardRegionByHand) {
    const Scene scene = tens_scene();
    const LayerResults results = compute_layer(scene);
    // Rows 2..3, columns 2..3 (one-based): 296, 306, 396, 406 in row order.
    const Lesson lesson =
        build_lesson(LessonName::Forward, scene, results, std::nullopt, CellRegion{{1, 1}, {2, 2}});
    ASSERT_EQ(lesson.steps.size(), 4u);
    ASSERT_TRUE(lesson.region.has_value());
    const double by_hand[] = {296, 306, 396, 406};
    for (int k = 0; k < 4; ++k) {
        const Step& step = lesson.steps[size_t(k)];
        const Cell out{1 + k / 2, 1 + k % 2};
        EXPECT_EQ(step.about->cell, out);
        EXPECT_EQ(*step.value, by_hand[k]);
        EXPECT_EQ(term_sum(step), by_hand[k]);
        // Done marks: the region's earlier cells only, never (1,1) outside it.
        EXPECT_EQ(marks_of(step, GridId::Output, MarkRole::Done).size(), size_t(k));
        EXPECT_FALSE(has_mark(step, GridId::Output, {0, 0}, MarkRole::Done));
    }
    EXPECT_TRUE(contains_text(lesson.steps[0].caption, "walks rows 2..3, columns 2..3 of the 3×3 output"))
        << lesson.steps[0].caption;
    // --cell 3,3 inside the region: its step is the last of four.
    const Lesson at = build_lesson(LessonName::Forward, scene, results, Cell{2, 2}, CellRegion{{1, 1}, {2, 2}});
    EXPECT_EQ(at.first_step_of_cell, 3);
}

// delta^l_{m,n} = sum of the w_{i,j} whose p = m-i+1, q = n-j+1 lie in 1..3:
//   (1,3): i = 1; j = 1 (q = 3), j = 2 (q = 2)  -> w11 + w12 = 3
//   (1,4): i = 1; j = 2 only                       -> w12 = 2
//   (2,3): every tap                               -> 1+2+3+4 = 10
//   (2,4): j = 2 only, both i                      -> w12 + w22 = 6
TEST(LessonRegion, BackwardRegionByHand) {
    const Scene scene = tens_scene();
    const Lesson lesson = build_lesson(LessonName::Backward, scene, compute_layer(scene), std::nullopt,
                                       CellRegion{{0, 2}, {1, 3}});
    ASSERT_EQ(lesson.steps.size(), 4u + 4u);
    const double by_hand[] = {3, 2, 10, 6};
    for (int k = 0; k < 4; ++k) {
        const Step& step = lesson.steps[size_t(4 + k)];
        EXPECT_EQ(step.about->cell, (Cell{k / 2, 2 + k % 2}));
        EXPECT_EQ(*step.value, by_hand[k]);
        EXPECT_EQ(term_sum(step), by_hand[k]);
    }
    EXPECT_TRUE(contains_text(lesson.steps[0].caption, "rows 1..2, columns 3..4 of the 4×4 input"));
}

// dJ/dw_{1,1} = sum_{p,q} delta_{p,q} z_{p,q}: over the region p, q in 2..3 that is
// 22 + 23 + 32 + 33 = 110; over all nine positions 10(1+2+3)3 + (1+2+3)3 = 198.
TEST(LessonRegion, KernelGradientRegionGivesPartialAndWholeSum) {
    const Scene scene = tens_scene();
    const Lesson lesson = build_lesson(LessonName::KernelGradient, scene, compute_layer(scene),
                                       std::nullopt, CellRegion{{1, 1}, {2, 2}});
    ASSERT_EQ(lesson.steps.size(), 4u) << "still one step per tap";
    const Step& step = lesson.steps[0];
    ASSERT_EQ(step.terms.size(), 4u);
    EXPECT_EQ(term_sum(step), 110);
    EXPECT_EQ(*step.value, 198);
    const std::string values = line_tex(step, LineKind::Values);
    EXPECT_TRUE(contains_text(values, "= 110")) << values;
    const std::string sum = line_tex(step, LineKind::Sum);
    EXPECT_TRUE(contains_text(sum, "positions (engine)")) << sum;
    EXPECT_EQ(sum.substr(sum.size() - 5), "= 198") << sum;
    EXPECT_TRUE(contains_text(step.caption, "sum to 110")) << step.caption;
    EXPECT_TRUE(contains_text(step.caption, "is 198")) << step.caption;
    // delta^{l+1} slides from z_{2,2}: its window starts at zero-based (1,1), 2x2 frames.
    EXPECT_EQ(step.window->origin, (Cell{1, 1}));
    EXPECT_EQ(step.window->rows, 2);
}

// A small scene walks every cell as before: no region, and an explicit whole-grid region
// walks the same steps with the same numbers.
TEST(LessonRegion, SmallScenesWalkEverything) {
    const Scene scene = default_scene();
    const LayerResults results = compute_layer(scene);
    for (LessonName name : kAllLessons) {
        SCOPED_TRACE(lesson_name(name));
        EXPECT_FALSE(build_lesson(name, scene, results, std::nullopt).region.has_value());
        EXPECT_FALSE(default_lesson_region(name, scene, results, std::nullopt).has_value());
    }
    const Lesson all = build_lesson(LessonName::Backward, scene, results, std::nullopt);
    const Lesson whole = build_lesson(LessonName::Backward, scene, results, std::nullopt,
                                      CellRegion{{0, 0}, {4, 4}});
    ASSERT_EQ(all.steps.size(), whole.steps.size());
    for (size_t k = 4; k < all.steps.size(); ++k) EXPECT_EQ(all.steps[k].value, whole.steps[k].value);
}

TEST(LessonRegion, CentredRegionsShiftToStayInside) {
    EXPECT_EQ(centred_region({64, 64}, 5, {128, 128}), (CellRegion{{62, 62}, {66, 66}}));
    EXPECT_EQ(centred_region({0, 127}, 5, {128, 128}), (CellRegion{{0, 123}, {4, 127}}));
    EXPECT_EQ(centred_region({1, 1}, 5, {3, 30}), (CellRegion{{0, 0}, {2, 4}}));
    EXPECT_EQ(region_words({{62, 62}, {66, 66}}, {128, 128}, 1), "rows 63..67, columns 63..67 of 128×128");
    CellRegion r;
    ASSERT_TRUE(parse_region("63, 63,67,67", 1, &r));
    EXPECT_EQ(r, (CellRegion{{62, 62}, {66, 66}}));
    EXPECT_FALSE(parse_region("1,2,3", 1, &r));
    EXPECT_FALSE(parse_region("1,2,3,4,5", 1, &r));
    EXPECT_FALSE(parse_region("1,2,x,4", 1, &r));
    EXPECT_FALSE(parse_region("", 1, &r));
}

// [SECTION] A 128x128 scene: default regions against the engine

Scene big_scene(unsigned seed) {
    std::mt19937 rng(seed);
    Scene scene;
    scene.input = ad::random_matrix(rng, 128, 128);
    scene.kernel = ad::random_matrix(rng, 3, 3);
    scene.spec.padding = {1, 1};
    scene.activation = Activation::Tanh;
    return scene;
}

// Every mark of a region lesson's step lies in the region, on the grids the region
// belongs to, and within `reach` (rows and columns a step's windows can touch) elsewhere.
void expect_marks_within(const Step& step, GridId grid, const CellRegion& region,
                         GridId other, const CellRegion& reach) {
    for (const Mark& m : step.marks) {
        if (cell_family(m.grid) == cell_family(grid)) {
            EXPECT_TRUE(region.contains(m.cell)) << "grid " << int(m.grid) << " " << m.cell.row << "," << m.cell.col;
        }
        if (m.grid == other) {
            EXPECT_TRUE(reach.contains(m.cell)) << "grid " << int(m.grid) << " " << m.cell.row << "," << m.cell.col;
        }
    }
}

size_t all_terms(const Lesson& lesson) {
    size_t terms = 0;
    for (const Step& s : lesson.steps) terms += s.terms.size();
    return terms;
}

TEST(LessonRegion, BackwardOnA128GridWalksTheMiddleAndAgreesWithTheEngine) {
    const Scene scene = big_scene(7);
    const LayerResults results = compute_layer(scene);
    const Matrix scatter = grad_activated_scatter(results.upstream, scene.kernel, {128, 128}, scene.spec);
    const Lesson lesson = build_lesson(LessonName::Backward, scene, results, std::nullopt);
    const CellRegion middle{{62, 62}, {66, 66}};
    ASSERT_EQ(lesson.region, middle);
    ASSERT_EQ(lesson.steps.size(), 4u + 25u);
    EXPECT_LE(all_terms(lesson), kMaxLessonTerms);
    EXPECT_TRUE(contains_text(lesson.steps[0].caption, "walks rows 63..67, columns 63..67 of the 128×128 input"))
        << lesson.steps[0].caption;
    // The padded delta^{l+1}: kernel 3x3, P = 1, s = d = 1: element (m,n)'s window starts at
    // padded (m+1, n+1), so the region's windows cover padded rows 63..69 (zero-based).
    const CellRegion padded_reach{{63, 63}, {69, 69}};
    for (size_t k = 0; k < lesson.steps.size(); ++k) {
        const Step& step = lesson.steps[k];
        SCOPED_TRACE("step " + std::to_string(k + 1));
        expect_marks_within(step, GridId::Input, middle, GridId::PaddedUpstream, padded_reach);
        // delta^{l+1}_{p,q} sits at padded (p+2, q+2): only p, q in 61..67.
        for (const Mark& m : step.marks)
            if (m.grid == GridId::Upstream) {
                EXPECT_TRUE((CellRegion{{61, 61}, {67, 67}}).contains(m.cell)) << m.cell.row << "," << m.cell.col;
            }
        if (k < 4) continue;
        const Cell c = step.about->cell;
        EXPECT_EQ(c, (Cell{62 + int(k - 4) / 5, 62 + int(k - 4) % 5}));
        // The lesson's own products, times f', against the reference scatter loops.
        const double slope = results.activation_slope(c.row, c.col);
        EXPECT_NEAR(slope * term_sum(step), slope * scatter(c.row, c.col), 1e-10);
        EXPECT_NEAR(*step.value, slope * scatter(c.row, c.col), 1e-10);
    }
    // A cell picks the region around it: --cell 1,128 (one-based) on the corner.
    const Lesson corner = build_lesson(LessonName::Backward, scene, results, Cell{0, 127});
    EXPECT_EQ(corner.region, (CellRegion{{0, 123}, {4, 127}}));
    EXPECT_EQ(corner.steps[size_t(corner.first_step_of_cell)].about->cell, (Cell{0, 127}));
}

TEST(LessonRegion, ForwardAndInfluenceOnA128GridStayInTheirRegion) {
    const Scene scene = big_scene(8);
    const LayerResults results = compute_layer(scene);
    const Matrix reference = forward(results.activated, scene.kernel, scene.spec);
    const CellRegion region{{10, 20}, {13, 22}};
    const Lesson fwd = build_lesson(LessonName::Forward, scene, results, std::nullopt, region);
    ASSERT_EQ(fwd.steps.size(), 12u);
    // Output (p,q) reads input rows p-1..p+1 (P = 1): rows 9..14, columns 19..23.
    const CellRegion window_reach{{9, 19}, {14, 23}};
    for (const Step& step : fwd.steps) {
        expect_marks_within(step, GridId::Output, region, GridId::Activated, window_reach);
        const Cell c = step.about->cell;
        EXPECT_NEAR(term_sum(step), reference(c.row, c.col), 1e-12);
    }
    const Lesson walk = build_lesson(LessonName::Influence, scene, results, std::nullopt);
    ASSERT_TRUE(walk.region.has_value());
    EXPECT_EQ(walk.steps.size(), 25u);
    for (const Step& step : walk.steps) {
        expect_marks_within(step, GridId::Input, *walk.region, GridId::Upstream,
                            CellRegion{{61, 61}, {67, 67}});
        EXPECT_NEAR(*step.value, results.grad_input(step.about->cell.row, step.about->cell.col), 0);
    }
}

TEST(LessonRegion, KernelGradientOnA128GridSumsTheRegionAndNamesTheWholeSum) {
    const Scene scene = big_scene(9);
    const LayerResults results = compute_layer(scene);
    const Matrix whole = grad_kernel(results.activated, results.upstream, {3, 3}, scene.spec);
    const Lesson lesson = build_lesson(LessonName::KernelGradient, scene, results, Cell{1, 2});
    const CellRegion middle{{62, 62}, {66, 66}};
    ASSERT_EQ(lesson.region, middle) << "the output's middle, not the tap";
    ASSERT_EQ(lesson.steps.size(), 9u);
    EXPECT_EQ(lesson.first_step_of_cell, 5);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            const Step& step = lesson.steps[size_t(i * 3 + j)];
            ASSERT_EQ(step.terms.size(), 25u);
            // Independently: delta_{p,q} * a-hat at (p+i-1, q+j-1) zero-based, P = 1.
            double partial = 0;
            for (int p = 62; p <= 66; ++p)
                for (int q = 62; q <= 66; ++q)
                    partial += results.upstream(p, q) * results.activated(p + i - 1, q + j - 1);
            EXPECT_NEAR(term_sum(step), partial, 1e-12);
            EXPECT_NEAR(*step.value, whole(i, j), 1e-9);
            expect_marks_within(step, GridId::Output, middle, GridId::Activated,
                                CellRegion{{61, 61}, {67, 67}});
        }
}

// The 128x128 walks that today's cap refused now build with bounded terms.
TEST(LessonRegion, EveryWalkingLessonBuildsOnA128Grid) {
    const Scene scene = big_scene(10);
    const LayerResults results = compute_layer(scene);
    for (LessonName name : kAllLessons) {
        SCOPED_TRACE(lesson_name(name));
        const Lesson lesson = build_lesson(name, scene, results, std::nullopt);
        EXPECT_LE(all_terms(lesson), size_t(25 * 9 + 200));
    }
}

// Random scenes of every geometry and both modes, a random region of each walking lesson:
// every walked step's number is the engine's, its own terms add up to it (forward,
// backward) or to the reference kernel gradient of delta^{l+1} cut to the region
// (kernel-gradient), and the walk-grid marks stay in the region.
TEST(LessonRegion, RandomRegionsOfRandomScenesAgreeWithTheEngine) {
    for (unsigned seed = 0; seed < 60; ++seed) {
        const Scene scene = ad::random_scene(4200 + seed);
        SCOPED_TRACE("seed " + std::to_string(4200 + seed));
        const LayerResults results = compute_layer(scene);
        std::mt19937 rng(seed);
        auto random_region = [&](Shape shape) {
            std::uniform_int_distribution<int> row(0, shape.rows - 1), col(0, shape.cols - 1);
            int r0 = row(rng), r1 = row(rng), c0 = col(rng), c1 = col(rng);
            if (r0 > r1) std::swap(r0, r1);
            if (c0 > c1) std::swap(c0, c1);
            return CellRegion{{r0, c0}, {r1, c1}};
        };
        const Shape input{int(scene.input.rows()), int(scene.input.cols())};
        const Shape output{int(results.output.rows()), int(results.output.cols())};
        const Shape kernel{int(scene.kernel.rows()), int(scene.kernel.cols())};

        const CellRegion out_region = random_region(output);
        const Lesson fwd = build_lesson(LessonName::Forward, scene, results, std::nullopt, out_region);
        ASSERT_EQ(fwd.steps.size(), size_t(out_region.rows() * out_region.cols()));
        for (const Step& step : fwd.steps) {
            const Cell c = step.about->cell;
            EXPECT_TRUE(out_region.contains(c));
            EXPECT_NEAR(term_sum(step), results.output(c.row, c.col), 1e-12);
            expect_marks_within(step, GridId::Output, out_region, GridId::Output, out_region);
        }

        const CellRegion in_region = random_region(input);
        for (LessonName name : {LessonName::Backward, LessonName::Influence}) {
            const Lesson lesson = build_lesson(name, scene, results, std::nullopt, in_region);
            size_t walked = 0;
            for (const Step& step : lesson.steps) {
                expect_marks_within(step, GridId::Input, in_region, GridId::Input, in_region);
                if (!step.about) continue;
                ++walked;
                const Cell c = step.about->cell;
                const double slope = results.activation_slope(c.row, c.col);
                EXPECT_NEAR(slope * term_sum(step), results.grad_input(c.row, c.col), 1e-12);
                EXPECT_EQ(*step.value, results.grad_input(c.row, c.col));
            }
            EXPECT_EQ(walked, size_t(in_region.rows() * in_region.cols())) << lesson_name(name);
        }

        const CellRegion positions = random_region(output);
        Matrix cut = Matrix::Zero(output.rows, output.cols);
        for (int p = positions.first.row; p <= positions.last.row; ++p)
            for (int q = positions.first.col; q <= positions.last.col; ++q) cut(p, q) = results.upstream(p, q);
        const Matrix partial = grad_kernel(results.activated, cut, kernel, scene.spec);
        const Lesson kg = build_lesson(LessonName::KernelGradient, scene, results, std::nullopt, positions);
        ASSERT_EQ(kg.steps.size(), size_t(kernel.rows * kernel.cols));
        for (const Step& step : kg.steps) {
            const Cell tap = step.about->cell;
            EXPECT_NEAR(term_sum(step), partial(tap.row, tap.col), 1e-12);
            EXPECT_EQ(*step.value, results.grad_kernel(tap.row, tap.col));
            EXPECT_EQ(step.window->rows, positions.rows());
            expect_marks_within(step, GridId::Output, positions, GridId::Output, positions);
        }
    }
}

// [SECTION] Bad regions

void expect_refused(LessonName name, std::optional<Cell> cell, CellRegion region,
                    const std::vector<std::string>& words) {
    const Scene scene = tens_scene();
    try {
        build_lesson(name, scene, compute_layer(scene), cell, region);
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        for (const std::string& w : words) EXPECT_TRUE(contains_text(e.what(), w)) << e.what();
    }
}

TEST(LessonRegion, BadRegionsAreOneClearError) {
    // One-based in the messages: zero-based {1,1}-{3,4} is 2,2,4,5 on the 4x4 input.
    expect_refused(LessonName::Backward, std::nullopt, {{1, 1}, {3, 4}},
                   {"lesson backward", "region 2,2,4,5", "outside the input", "4x4"});
    expect_refused(LessonName::Forward, std::nullopt, {{0, 0}, {3, 0}},
                   {"region 1,1,4,1", "outside the output", "3x3"});
    expect_refused(LessonName::Forward, std::nullopt, {{2, 0}, {1, 1}}, {"reversed"});
    expect_refused(LessonName::Backward, std::nullopt, {{-1, 0}, {1, 1}}, {"outside"});
    expect_refused(LessonName::Equivalence, std::nullopt, {{0, 0}, {1, 1}}, {"walks no region"});
    expect_refused(LessonName::Influence, Cell{0, 0}, {{0, 0}, {1, 1}}, {"walks no region"});
    expect_refused(LessonName::Backward, Cell{3, 3}, {{0, 0}, {1, 1}},
                   {"cell 4,4", "outside the region 1,1,2,2"});
    // A region with more terms than a lesson keeps asks for a smaller region.
    const Scene big = big_scene(11);
    try {
        build_lesson(LessonName::Backward, big, compute_layer(big), std::nullopt,
                     CellRegion{{0, 0}, {127, 127}});
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_TRUE(contains_text(e.what(), "smaller region")) << e.what();
    }
}

// [SECTION] The fast path: scatter and gather summed by the lesson

// On a layer the fast engine computed, grad_input_gather is left empty. The
// equivalence lesson's two sums and the derivation's rotated-kernel readout come from
// their own terms: spoil both engine fields and they still agree with the reference
// scatter and gather loops, computed here on the same scene.
TEST(LessonRegion, FastPathScatterAndGatherAreSummedByTheLesson) {
    const Scene scene = big_scene(12);
    LayerResults results = compute_layer(scene);
    ASSERT_TRUE(results.fast_path);
    const Matrix scatter = grad_activated_scatter(results.upstream, scene.kernel, {128, 128}, scene.spec);
    const Matrix gather = grad_activated_gather(results.upstream, scene.kernel, {128, 128}, scene.spec);
    results.grad_input_gather.setConstant(128, 128, 1e6);
    results.grad_input.setConstant(-1e6);
    for (Cell c : {Cell{40, 50}, Cell{0, 127}}) {
        SCOPED_TRACE(std::to_string(c.row) + "," + std::to_string(c.col));
        const double slope = results.activation_slope(c.row, c.col);
        const Lesson eq = build_lesson(LessonName::Equivalence, scene, results, c);
        const Step& last = eq.steps.back();
        ASSERT_EQ(last.readouts.size(), 2u);
        EXPECT_NEAR(last.readouts[0].value, slope * scatter(c.row, c.col), 1e-12);
        EXPECT_NEAR(last.readouts[1].value, slope * gather(c.row, c.col), 1e-12);
        EXPECT_TRUE(last.readouts[0].agrees);
        const Lesson derivation = build_lesson(LessonName::Derivation, scene, results, c);
        bool found = false;
        for (const Step& step : derivation.steps)
            for (const Readout& r : step.readouts)
                if (r.label_tex == "\\text{rotated kernel}") {
                    found = true;
                    EXPECT_NEAR(r.value, slope * gather(c.row, c.col), 1e-12);
                }
        EXPECT_TRUE(found);
    }
}

}  // namespace
}  // namespace convlens
