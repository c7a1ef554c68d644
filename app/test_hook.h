// A hidden hook for the GUI smoke test: CONVLENS_TEST_SCRIPT holds commands run one per
// frame through the same paths as the mouse and keyboard, e.g. "set kernel 1 1 7; quit".
#pragma once

#include <string>

#include "app_state.h"

namespace convlens {

// Commands, separated by ';' (indices in the scene's base):
//   set input|kernel|upstream|target M N VALUE   edit one value (apply_edit, autosave)
//   select input|kernel|output M N               select a cell (the influence focus), as a
//                                                click does (in a lesson: maybe its cell)
//   resize input|kernel ROWS COLS                as the shape controls do (refused: error shown)
//   undo | redo | quit
//   sleep SECONDS                                let real input (xdotool) happen meanwhile
//   wait_file PATH                               run nothing more until PATH exists (the
//                                                shell's real X events are sent by then)
//   cell_at GRID M N PATH                        JSON {x, y, width, height}: the centre and
//                                                size in window pixels of a cell the canvas
//                                                draws, to click it (GRID: input, kernel,
//                                                output, upstream, activated, grad_input,
//                                                grad_kernel, rotated_kernel, padded_upstream)
//   shot PATH                                    write the next frame drawn to a PNG
//   open PATH | save PATH | dump PATH            dump writes the current scene's JSON
//   drop PATH                                    as if PATH were dropped onto the window
//   error PATH                                   writes the window's error line (may be empty)
//   lesson NAME [M N] | lesson none              plays NAME (about cell M,N) / the hover view
//   step K | next | prev | play | pause          the timeline, as its buttons do (K from 1)
//   export FORMAT PATH                           File > Export of the canvas's lesson (else the
//                                                forward lesson) to PATH; the script waits until
//                                                it ends (its error, if any, on the error line)
//   export_dialog FORMAT PATH WxH                File > Export opened with those choices; real
//                                                clicks start and cancel it
//   export_dialog_state PATH                     JSON: open, running, done, total, the centres
//                                                of its Export and Cancel buttons, error line
//   wait_export                                  no command runs until the export has ended
//   cells PATH                                   JSON: each grid's cells in the window and in
//                                                the exported frame of the step (export_panel.h)
//   key space|left|right|home|end|f11            a real key press through ImGui's keyboard
//   type input|kernel|upstream M N TEXT          as typing TEXT into the cell and Enter
//                                                (refused: the error line says why)
//   status PATH                                  JSON: error, notice, canvas_only, fading
//                                                frames drawn whole and in part, the heatmap
//                                                textures' counters (heatmap_texture.h)
//   fresh_textures                               drops every heatmap texture: the next frame
//                                                uploads each grid whole (a picture of it
//                                                must equal one drawn from patched textures)
//   latex PATH                                   what Copy as LaTeX copies (and Copy derivation);
//                                                without a lesson, the hover view's block
//   lesson_state PATH                            JSON: lesson, cell, cell_field (what the
//                                                timeline's field shows), step (from 1), steps,
//                                                playing, settled, smallest_value_px, value
//                                                (the sum the step finishes, or null), about
//                                                (the step's cell, or null)
//   layout PATH                                  JSON after the next frame: display size, UI
//                                                scale, font px, the canvas's smallest value
//                                                px, each panel's rectangle and visible part,
//                                                each widget's (app/layout_probe.h)
//   live                                         from here on the window runs as for a user:
//                                                an edit's frame waits no longer than a
//                                                frame's budget for its numbers, a script
//                                                waiting (sleep, wait_file, wait_results, an
//                                                image loading) lets the loop sleep (polling
//                                                the file 20 times a second), and the frame
//                                                clock records (app/frame_clock.h)
//   wait_results                                 no command runs until the newest edit's
//                                                numbers are on screen
//   timings PATH                                 JSON of the frame clock (needs live first)
//   source PATH                                  the commands in PATH (';' or lines) run next
// A dropped image (drop) lands before the next command runs.
// A bad command prints one line on stderr and quits with status 1; a file that fails to
// open is no bad command: the window shows its error, as it would for the user.
inline constexpr const char* kTestScriptVariable = "CONVLENS_TEST_SCRIPT";

// Runs the next command, if any; returns the exit status to use when it failed, else 0.
int run_next_test_command(AppState& state);

// In live mode, the script waits for something (time, a file, numbers, an image) and the
// loop may sleep meanwhile instead of drawing frames; wake it by test_hook_wake (now
// seconds, or < 0: an event will: the engine's or the loader's).
inline constexpr double kFilePollSeconds = 0.05;
bool test_hook_resting(const AppState& state);
double test_hook_wake(const AppState& state);

}  // namespace convlens
