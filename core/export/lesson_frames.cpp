#include "export/lesson_frames.h"

#include <string>

#include "canvas/step_canvas.h"
#include "engine/conv_spec.h"
#include "engine/layer_results.h"

namespace convlens {

LessonFrames lesson_frames(const Scene& scene, const LessonFrameRequest& request) {
    const LayerResults results = compute_layer(scene);
    const Lesson lesson = build_lesson(request.lesson, scene, results, request.cell, request.region);
    const int count = static_cast<int>(lesson.steps.size());
    const int first = request.first_step;
    const int last = request.last_step.value_or(count - 1);
    if (first < 0 || first > last || last >= count)
        throw InputError("steps " + std::to_string(first + 1) + "-" + std::to_string(last + 1) +
                         " are not in the " + lesson_name(request.lesson) + " lesson, which has " +
                         std::to_string(count) + " step" + (count == 1 ? "" : "s") + " (1-" +
                         std::to_string(count) + ")");
    const Theme theme = request.dark ? dark_theme() : light_theme();
    LayoutOptions options;
    options.show_equation = request.caption;
    const CanvasGrids grids = layout_grids(scene, results, lesson.grids, lesson.extra_grids, theme, options,
                                          lesson.steps);
    LessonFrames out;
    out.lesson_steps = count;
    out.title = lesson_title(request.lesson);
    out.frames.reserve(static_cast<std::size_t>(last - first + 1));
    for (int k = first; k <= last; ++k)
        out.frames.push_back(draw_step(grids, lesson.steps[static_cast<std::size_t>(k)], theme));
    return out;
}

}  // namespace convlens
