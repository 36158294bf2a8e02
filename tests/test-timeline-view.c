/* test-timeline-view.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-timeline-view"

#include "config.h"

#include <math.h>

#include <adwaita.h>

#include "export-kit.h"
#include "takes-cut-pane.h"
#include "takes-history.h"
#include "takes-timeline-view.h"
#include "takes-ui.h"

#define FPS 24

static gboolean have_display;
static char *media_dir;

typedef struct
{
  TakesProject *project;
  TakesHistory *history;
  GtkWidget *window;
  TakesCutPane *pane;
  TakesTimelineView *view;
  TakesTimeline *timeline;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the loop until the timeline has caught up with the project */
static void
wait_for_timeline (Fixture *fixture)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, on_timeout, &timed_out);

  /* At least one pass, so a scheduled update gets its idle */
  do
    g_main_context_iteration (NULL, TRUE);
  while ((takes_timeline_is_updating (fixture->timeline) ||
          takes_timeline_get_n_shots (fixture->timeline) != takes_project_get_n_shots (fixture->project) ||
          takes_cut_pane_get_program (fixture->pane) == NULL) &&
         !timed_out);

  g_assert_false (timed_out);
  g_source_remove (id);
  iterate ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!have_display)
    return;

  fixture->project = export_kit_project (media_dir, 320, 180, FPS);
  export_kit_add_shot (fixture->project, "Harbour", 1.0, "one.mp4");
  export_kit_add_shot (fixture->project, "Gull", 2.0, "two.mp4");
  export_kit_add_shot (fixture->project, "Boat", 1.5, NULL);
  fixture->history = takes_history_new (fixture->project);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 300);
  fixture->pane = TAKES_CUT_PANE (takes_cut_pane_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->pane));
  gtk_window_present (GTK_WINDOW (fixture->window));

  takes_cut_pane_set_project (fixture->pane, fixture->project, fixture->history);
  fixture->view = TAKES_TIMELINE_VIEW (takes_cut_pane_get_timeline_view (fixture->pane));
  fixture->timeline = takes_cut_pane_get_timeline (fixture->pane);
  g_assert_nonnull (fixture->timeline);

  wait_for_timeline (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  takes_cut_pane_set_project (fixture->pane, NULL, NULL);
  /* Hidden first, so no popover or tooltip still points into it */
  gtk_widget_set_visible (fixture->window, FALSE);
  iterate ();
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  iterate ();
  g_clear_object (&fixture->history);
  g_clear_object (&fixture->project);
}

static const char *
title_at (Fixture *fixture,
          guint    position)
{
  return takes_shot_get_title (takes_timeline_get_shot (fixture->timeline, position));
}

static void
test_layout (Fixture       *fixture,
             gconstpointer  data)
{
  graphene_rect_t a, b, c;

  if (!have_display)
    return g_test_skip ("no display (run under xvfb-run)");

  g_assert_cmpuint (takes_timeline_get_n_shots (fixture->timeline), ==, 3);
  g_assert_cmpstr (title_at (fixture, 0), ==, "Harbour");
  g_assert_cmpstr (title_at (fixture, 1), ==, "Gull");
  g_assert_cmpstr (title_at (fixture, 2), ==, "Boat");

  g_assert_true (takes_timeline_view_get_clip_bounds (fixture->view, 0, &a));
  g_assert_true (takes_timeline_view_get_clip_bounds (fixture->view, 1, &b));
  g_assert_true (takes_timeline_view_get_clip_bounds (fixture->view, 2, &c));
  {
    graphene_rect_t none;

    g_assert_false (takes_timeline_view_get_clip_bounds (fixture->view, 3, &none));
  }

  /* In shot order, left to right, one after the other */
  g_assert_cmpfloat (a.origin.x, <, b.origin.x);
  g_assert_cmpfloat (b.origin.x, <, c.origin.x);
  g_assert_cmpfloat_with_epsilon (a.origin.x + a.size.width, b.origin.x, 0.5);
  g_assert_cmpfloat_with_epsilon (b.origin.x + b.size.width, c.origin.x, 0.5);

  /* Widths in proportion to durations: 1 s, 2 s, and the placeholder's
   * 1.5 s (the shot's duration) */
  g_assert_cmpfloat (a.size.width, >, 10);
  g_assert_cmpfloat_with_epsilon (b.size.width / a.size.width, 2.0, 0.02);
  g_assert_cmpfloat_with_epsilon (c.size.width / a.size.width, 1.5, 0.02);

  g_assert_false (takes_timeline_view_clip_is_placeholder (fixture->view, 0));
  g_assert_false (takes_timeline_view_clip_is_placeholder (fixture->view, 1));
  g_assert_true (takes_timeline_view_clip_is_placeholder (fixture->view, 2));

  /* Zooming in widens every clip by the same factor */
  {
    double before = a.size.width;

    gtk_widget_activate_action (GTK_WIDGET (fixture->pane), "timeline.zoom-in", NULL);
    g_assert_true (takes_timeline_view_get_clip_bounds (fixture->view, 0, &a));
    g_assert_cmpfloat_with_epsilon (a.size.width / before, 1.5, 0.01);
  }
}

static void
test_move_later (Fixture       *fixture,
                 gconstpointer  data)
{
  if (!have_display)
    return g_test_skip ("no display (run under xvfb-run)");

  /* Nothing selected: nothing to move */
  g_assert_cmpint (takes_timeline_view_get_selected_clip (fixture->view), ==, -1);
  g_assert_false (takes_timeline_view_move_selected (fixture->view, 1));

  takes_timeline_view_set_selected_clip (fixture->view, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->pane), "timeline.move-later", NULL));

  g_assert_cmpstr (takes_shot_get_title (takes_project_get_shot (fixture->project, 0)), ==, "Gull");
  g_assert_cmpstr (takes_shot_get_title (takes_project_get_shot (fixture->project, 1)), ==, "Harbour");
  g_assert_cmpint (takes_timeline_view_get_selected_clip (fixture->view), ==, 1);
  g_assert_true (takes_history_can_undo (fixture->history));

  wait_for_timeline (fixture);
  g_assert_cmpstr (title_at (fixture, 0), ==, "Gull");
  g_assert_cmpstr (title_at (fixture, 1), ==, "Harbour");

  /* Alt+Right is the same from the keyboard: the selection moves on */
  g_assert_true (takes_timeline_view_move_selected (fixture->view, 1));
  g_assert_cmpstr (takes_shot_get_title (takes_project_get_shot (fixture->project, 2)), ==, "Harbour");
  g_assert_false (takes_timeline_view_move_selected (fixture->view, 1));

  g_assert_true (takes_history_undo (fixture->history));
  g_assert_true (takes_history_undo (fixture->history));
  wait_for_timeline (fixture);
  g_assert_cmpstr (title_at (fixture, 0), ==, "Harbour");
  g_assert_cmpstr (title_at (fixture, 1), ==, "Gull");
  g_assert_cmpstr (title_at (fixture, 2), ==, "Boat");
}

static gboolean
on_frame_grid (double seconds)
{
  double frames = seconds * FPS;

  return fabs (frames - round (frames)) < 1e-6;
}

static void
test_trim (Fixture       *fixture,
           gconstpointer  data)
{
  TakesShot *harbour = takes_project_get_shot (fixture->project, 0);
  TakesShot *boat = takes_project_get_shot (fixture->project, 2);
  graphene_rect_t before, after;
  GstClockTime duration;

  if (!have_display)
    return g_test_skip ("no display (run under xvfb-run)");

  g_assert_true (takes_timeline_view_get_clip_bounds (fixture->view, 0, &before));

  /* The out point, 0.3 s earlier: snapped to the nearest frame */
  g_assert_true (takes_timeline_view_trim (fixture->view, 0, GTK_POS_RIGHT, -0.3));
  g_assert_true (on_frame_grid (takes_shot_get_trim_out (harbour)));
  g_assert_cmpfloat_with_epsilon (takes_shot_get_trim_out (harbour), 17.0 / FPS, 1e-9);

  /* The in point, 0.11 s later: frame 3 */
  g_assert_true (takes_timeline_view_trim (fixture->view, 0, GTK_POS_LEFT, 0.11));
  g_assert_cmpfloat_with_epsilon (takes_shot_get_trim_in (harbour), 3.0 / FPS, 1e-9);

  wait_for_timeline (fixture);
  g_assert_true (takes_timeline_get_shot_range (fixture->timeline, 0, NULL, &duration, NULL));
  g_assert_cmpuint (duration, ==, gst_util_uint64_scale (14, GST_SECOND, FPS));
  /* Drawn 14 frames long, against the 48 frames of the next clip (the
   * whole film may have been zoomed to fit meanwhile) */
  g_assert_true (takes_timeline_view_get_clip_bounds (fixture->view, 0, &after));
  g_assert_true (takes_timeline_view_get_clip_bounds (fixture->view, 1, &before));
  g_assert_cmpfloat_with_epsilon (after.size.width / before.size.width, 14.0 / 48.0, 0.01);

  /* Never past the take's own ends, never shorter than a frame */
  g_assert_true (takes_timeline_view_trim (fixture->view, 0, GTK_POS_RIGHT, 10.0));
  g_assert_cmpfloat (takes_shot_get_trim_out (harbour), ==, 0.0);   /* the whole take again */
  g_assert_true (takes_timeline_view_trim (fixture->view, 0, GTK_POS_LEFT, 10.0));
  g_assert_cmpfloat_with_epsilon (takes_shot_get_trim_in (harbour), 23.0 / FPS, 1e-9);
  g_assert_true (takes_timeline_view_trim (fixture->view, 0, GTK_POS_LEFT, -10.0));
  g_assert_cmpfloat (takes_shot_get_trim_in (harbour), ==, 0.0);

  /* Each trim is one undo step */
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpfloat_with_epsilon (takes_shot_get_trim_in (harbour), 23.0 / FPS, 1e-9);
  while (takes_history_can_undo (fixture->history))
    takes_history_undo (fixture->history);
  g_assert_cmpfloat (takes_shot_get_trim_in (harbour), ==, 0.0);
  g_assert_cmpfloat (takes_shot_get_trim_out (harbour), ==, 0.0);

  /* A placeholder's end sets the shot's duration */
  g_assert_true (takes_timeline_view_trim (fixture->view, 2, GTK_POS_RIGHT, 0.52));
  g_assert_cmpfloat_with_epsilon (takes_shot_get_duration (boat), 2.0, 1e-9);  /* 2.02 s: frame 48 */
  g_assert_false (takes_timeline_view_trim (fixture->view, 2, GTK_POS_LEFT, 0.5));
}

static GtkWidget *
find_toggle (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_transition_popover (Fixture       *fixture,
                         gconstpointer  data)
{
  TakesShot *harbour = takes_project_get_shot (fixture->project, 0);
  GtkWidget *crossfade, *cut;
  GtkWidget *popover = NULL;

  if (!have_display)
    return g_test_skip ("no display (run under xvfb-run)");

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (fixture->view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child) && find_toggle (child, "Crossfade") != NULL)
      popover = child;
  g_assert_nonnull (popover);

  takes_timeline_view_set_selected_clip (fixture->view, 0);
  takes_timeline_view_edit_transition (fixture->view);
  iterate ();
  g_assert_true (gtk_widget_get_visible (popover));

  crossfade = find_toggle (popover, "Crossfade");
  cut = find_toggle (popover, "Cut");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (cut)));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (crossfade), TRUE);
  g_assert_cmpint (takes_shot_get_transition (harbour), ==, TAKES_TRANSITION_CROSSFADE);
  g_assert_cmpfloat_with_epsilon (takes_shot_get_transition_duration (harbour), 1.0, 1e-9);

  /* The timeline shows it as an overlap */
  wait_for_timeline (fixture);
  g_assert_cmpuint (takes_timeline_get_shot_overlap (fixture->timeline, 0), >, 0);

  /* One step to undo, back to a cut */
  g_assert_true (takes_history_undo (fixture->history));
  g_assert_cmpint (takes_shot_get_transition (harbour), ==, TAKES_TRANSITION_CUT);
  wait_for_timeline (fixture);
  g_assert_cmpuint (takes_timeline_get_shot_overlap (fixture->timeline, 0), ==, 0);

  /* The toolbar's Crossfade does the same for the selected clip */
  gtk_popover_popdown (GTK_POPOVER (popover));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->pane), "timeline.crossfade", NULL));
  g_assert_cmpint (takes_shot_get_transition (harbour), ==, TAKES_TRANSITION_CROSSFADE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->pane), "timeline.cut", NULL));
  g_assert_cmpint (takes_shot_get_transition (harbour), ==, TAKES_TRANSITION_CUT);
}

static void
test_playhead_follows_program (Fixture       *fixture,
                               gconstpointer  data)
{
  TakesProgram *program;
  gboolean timed_out = FALSE;
  guint id;

  if (!have_display)
    return g_test_skip ("no display (run under xvfb-run)");

  program = takes_cut_pane_get_program (fixture->pane);

  /* Scrubbing the timeline seeks the program monitor */
  takes_timeline_view_set_position (fixture->view, gst_util_uint64_scale (30, GST_SECOND, FPS));
  g_assert_cmpint (takes_program_get_position (program), ==,
                   (gint64) gst_util_uint64_scale (30, GST_SECOND, FPS));

  /* And the program moves the playhead */
  id = g_timeout_add_seconds (30, on_timeout, &timed_out);
  while ((!takes_program_get_prerolled (program) || takes_program_get_busy (program)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  takes_program_step (program, 1);
  g_assert_cmpint (takes_timeline_view_get_position (fixture->view), ==,
                   (gint64) gst_util_uint64_scale (31, GST_SECOND, FPS));
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  ExportKitClip one = { 320, 180, FPS, 24, TRUE, "smpte" };
  ExportKitClip two = { 320, 180, FPS, 48, FALSE, "ball" };
  int status;

  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      takes_ui_init ();
    }
  gst_init (NULL, NULL);
  ges_init ();

  media_dir = export_kit_make_dir ();
  g_free (export_kit_make_clip (media_dir, "one.mp4", &one));
  g_free (export_kit_make_clip (media_dir, "two.mp4", &two));

  add_test ("/Takes/UI/TimelineView/layout", test_layout);
  add_test ("/Takes/UI/TimelineView/move-later-and-undo", test_move_later);
  add_test ("/Takes/UI/TimelineView/trim-snaps-and-undoes", test_trim);
  add_test ("/Takes/UI/TimelineView/transition-popover", test_transition_popover);
  add_test ("/Takes/UI/TimelineView/playhead-follows-program", test_playhead_follows_program);

  status = g_test_run ();

  export_kit_remove_tree (media_dir);
  g_free (media_dir);

  return status;
}
