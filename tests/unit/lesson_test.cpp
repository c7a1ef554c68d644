// build_lesson, the dispatcher: lesson names, the grid each lesson's cell lives in, and
// the one-line errors for a cell outside its grid or results of another scene.
#include <string>

#include <gtest/gtest.h>

#include "engine/conv_spec.h"
#include "lesson/lesson.h"

namespace convlens {
namespace {

TEST(LessonNames, RoundTripAndRejectUnknown) {
    const char* expected[] = {"forward",         "influence",   "backward",
                              "kernel-gradient", "equivalence", "derivation"};
    int k = 0;
    for (LessonName name : kAllLessons) {
        EXPECT_STREQ(lesson_name(name), expected[k++]);
        LessonName parsed = LessonName::Derivation;
        ASSERT_TRUE(parse_lesson_name(lesson_name(name), &parsed));
        EXPECT_EQ(parsed, name);
        EXPECT_GT(std::string(lesson_title(name)).size(), 3u);
    }
    LessonName untouched = LessonName::Backward;
    EXPECT_FALSE(parse_lesson_name("Forward", &untouched));
    EXPECT_FALSE(parse_lesson_name("kernel_gradient", &untouched));
    EXPECT_FALSE(parse_lesson_name("", &untouched));
    EXPECT_EQ(untouched, LessonName::Backward);
}

TEST(LessonNames, CellGrids) {
    EXPECT_EQ(lesson_cell_grid(LessonName::Forward), GridId::Output);
    EXPECT_EQ(lesson_cell_grid(LessonName::KernelGradient), GridId::Kernel);
    EXPECT_EQ(lesson_cell_grid(LessonName::Influence), GridId::Input);
    EXPECT_EQ(lesson_cell_grid(LessonName::Backward), GridId::Input);
    EXPECT_EQ(lesson_cell_grid(LessonName::Equivalence), GridId::Input);
    EXPECT_EQ(lesson_cell_grid(LessonName::Derivation), GridId::Input);
}

std::string error_of(LessonName name, const Scene& scene, Cell cell) {
    try {
        build_lesson(name, scene, compute_layer(scene), cell);
    } catch (const InputError& e) {
        return e.what();
    }
    return "<no error>";
}

// The default scene: 5x5 input, 3x3 kernel, 3x3 output. Cells are printed in the scene's
// base: zero-based (3,0) is "4,1" one-based and "3,0" zero-based.
TEST(BuildLesson, CellOutsideItsGridIsOneClearError) {
    Scene scene = default_scene();
    const std::string forward = error_of(LessonName::Forward, scene, {3, 0});
    EXPECT_NE(forward.find("forward"), std::string::npos) << forward;
    EXPECT_NE(forward.find("4,1"), std::string::npos) << forward;
    EXPECT_NE(forward.find("3x3"), std::string::npos) << forward;
    EXPECT_EQ(forward.find('\n'), std::string::npos) << forward;

    const std::string tap = error_of(LessonName::KernelGradient, scene, {0, -1});
    EXPECT_NE(tap.find("kernel-gradient"), std::string::npos) << tap;
    EXPECT_NE(tap.find("1,0"), std::string::npos) << tap;
    EXPECT_NE(tap.find("kernel"), std::string::npos) << tap;

    // The input is 5x5, so (4,4) zero-based is fine for influence but (5,4) is not.
    EXPECT_EQ(error_of(LessonName::Influence, scene, {4, 4}), "<no error>");
    const std::string influence = error_of(LessonName::Influence, scene, {5, 4});
    EXPECT_NE(influence.find("6,5"), std::string::npos) << influence;
    EXPECT_NE(influence.find("5x5"), std::string::npos) << influence;

    scene.index_base = 0;
    const std::string zero_based = error_of(LessonName::Forward, scene, {3, 0});
    EXPECT_NE(zero_based.find("3,0"), std::string::npos) << zero_based;
    EXPECT_NE(zero_based.find("from 0"), std::string::npos) << zero_based;
}

TEST(BuildLesson, ResultsOfAnotherSceneAreRefused) {
    const Scene scene = default_scene();
    Scene bigger = scene;
    bigger.spec.padding = {1, 1};
    bigger.upstream.reset();
    const LayerResults other = compute_layer(bigger);
    for (LessonName name : kAllLessons)
        EXPECT_THROW(build_lesson(name, scene, other, std::nullopt), InputError)
            << lesson_name(name);
}

TEST(BuildLesson, DispatchesToEachLessonAndTheWalksStartAtZero) {
    const Scene scene = default_scene();
    const LayerResults results = compute_layer(scene);
    for (LessonName name : kAllLessons) {
        const Lesson lesson = build_lesson(name, scene, results, std::nullopt);
        EXPECT_EQ(lesson.name, name) << lesson_name(name);
        EXPECT_FALSE(lesson.steps.empty()) << lesson_name(name);
        EXPECT_GE(lesson.first_step_of_cell, 0);
        EXPECT_LT(lesson.first_step_of_cell, int(lesson.steps.size()));
    }
    // Forward walks the nine outputs, kernel-gradient the nine taps, influence the 25
    // input elements (counts worked out in the lessons' own tests).
    EXPECT_EQ(build_lesson(LessonName::Forward, scene, results, std::nullopt).steps.size(), 9u);
    EXPECT_EQ(build_lesson(LessonName::KernelGradient, scene, results, std::nullopt).steps.size(),
              9u);
    EXPECT_EQ(build_lesson(LessonName::Influence, scene, results, std::nullopt).steps.size(), 25u);
}

// Equivalence and derivation need an element: without one they take the middle of the
// input, here zero-based (2,2) of 5x5, and tell the same story as when it is given.
TEST(BuildLesson, MiddleOfTheInputWhenEquivalenceHasNoCell) {
    const Scene scene = default_scene();
    const LayerResults results = compute_layer(scene);
    for (LessonName name : {LessonName::Equivalence, LessonName::Derivation}) {
        const Lesson implicit = build_lesson(name, scene, results, std::nullopt);
        const Lesson given = build_lesson(name, scene, results, Cell{2, 2});
        ASSERT_EQ(implicit.steps.size(), given.steps.size()) << lesson_name(name);
        for (std::size_t k = 0; k < given.steps.size(); ++k) {
            EXPECT_EQ(implicit.steps[k].caption, given.steps[k].caption);
            EXPECT_EQ(implicit.steps[k].value, given.steps[k].value);
        }
    }
}

// A lesson asked to walk hundreds of thousands of terms is an InputError, not an exhausted
// machine: a 256x256 input, 3x3 kernel and padding 1 give 65536 outputs of 9 products each.
// Without a region it walks the 5x5 outputs around the middle instead.
TEST(BuildLesson, HugeWalksAreRefusedWithAnInputError) {
    Scene scene;
    scene.input = Matrix::Constant(256, 256, 1.0);
    scene.kernel = Matrix::Constant(3, 3, 1.0);
    scene.spec.padding = {1, 1};
    const LayerResults results = compute_layer(scene);
    try {
        build_lesson(LessonName::Forward, scene, results, std::nullopt, CellRegion{{0, 0}, {255, 255}});
        FAIL() << "no error";
    } catch (const InputError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("forward"), std::string::npos) << message;
        EXPECT_NE(message.find("terms"), std::string::npos) << message;
    }
    EXPECT_EQ(build_lesson(LessonName::Forward, scene, results, std::nullopt).steps.size(), 25u);
}

}  // namespace
}  // namespace convlens
