/* test-timeline.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-timeline"

#include "config.h"

#include <string.h>

#include "export-kit.h"
#include "takes-history.h"
#include "takes-timeline.h"

/* Media shared by every case, made once in main() */
static char *media_dir;

#define FPS 24

static GstClockTime
frames (gint64 n)
{
  return gst_util_uint64_scale (n, GST_SECOND, FPS);
}

/* Frame times are rounded to the nanosecond: a length is the difference
 * of two of them */
static GstClockTime
span (gint64 from,
      gint64 to)
{
  return frames (to) - frames (from);
}

static TakesProject *
new_project (void)
{
  return export_kit_project (media_dir, 320, 180, FPS);
}

static GList *
layer_clips (TakesTimeline *timeline,
             guint          layer_index,
             GType          type)
{
  GESLayer *layer = ges_timeline_get_layer (takes_timeline_get_ges_timeline (timeline), layer_index);
  GList *clips, *matching = NULL;

  g_assert_nonnull (layer);
  clips = ges_layer_get_clips (layer);
  for (GList *l = clips; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      matching = g_list_append (matching, gst_object_ref (l->data));
  g_list_free_full (clips, gst_object_unref);
  gst_object_unref (layer);

  return matching;
}

static GESTrackElement *
video_source (GESClip *clip)
{
  GList *elements = ges_clip_find_track_elements (clip, NULL, GES_TRACK_TYPE_VIDEO, GES_TYPE_SOURCE);
  GESTrackElement *source;

  g_assert_nonnull (elements);
  source = elements->data;
  g_list_free_full (elements, gst_object_unref);

  return source;
}

static void
assert_geometry (GESClip *clip,
                 int      x,
                 int      y,
                 int      width,
                 int      height)
{
  int posx, posy, w, h;

  ges_timeline_element_get_child_properties (GES_TIMELINE_ELEMENT (video_source (clip)),
                                             "posx", &posx, "posy", &posy,
                                             "width", &w, "height", &h, NULL);
  g_assert_cmpint (posx, ==, x);
  g_assert_cmpint (posy, ==, y);
  g_assert_cmpint (w, ==, width);
  g_assert_cmpint (h, ==, height);
}

static void
test_order (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesTimeline) timeline = NULL;
  TakesShot *shots[3];
  GList *clips;
  guint i = 0;

  shots[0] = export_kit_add_shot (project, "One", 5, "a.mp4");
  shots[1] = export_kit_add_shot (project, "Two", 5, "b.mp4");
  shots[2] = export_kit_add_shot (project, "Three", 5, "c.mp4");

  timeline = takes_timeline_new (project);
  export_kit_update (timeline);

  g_assert_cmpuint (takes_timeline_get_n_shots (timeline), ==, 3);
  /* a: 24 frames, b: 36 frames, c: 24 frames, back to back */
  g_assert_cmpuint (takes_timeline_get_duration (timeline), ==, frames (84));
  g_assert_cmpuint (takes_timeline_get_shot_start (timeline, shots[0]), ==, 0);
  g_assert_cmpuint (takes_timeline_get_shot_start (timeline, shots[1]), ==, frames (24));
  g_assert_cmpuint (takes_timeline_get_shot_start (timeline, shots[2]), ==, frames (60));
  g_assert_cmpint (takes_timeline_get_shot_at (timeline, frames (30)), ==, 1);
  g_assert_cmpint (takes_timeline_get_shot_at (timeline, frames (84)), ==, -1);

  clips = layer_clips (timeline, 0, GES_TYPE_URI_CLIP);
  g_assert_cmpuint (g_list_length (clips), ==, 3);
  for (GList *l = clips; l != NULL; l = l->next, i++)
    {
      const char *names[] = { "a.mp4", "b.mp4", "c.mp4" };
      GESTimelineElement *element = l->data;

      g_assert_true (g_str_has_suffix (ges_uri_clip_get_uri (l->data), names[i]));
      g_assert_true (GES_CLIP (element) == takes_timeline_get_shot_clip (timeline, i));
      g_assert_false (takes_timeline_shot_is_placeholder (timeline, i));
      g_assert_null (takes_timeline_get_shot_problem (timeline, i));
    }
  g_list_free_full (clips, gst_object_unref);

  g_assert_cmpuint (ges_timeline_get_duration (takes_timeline_get_ges_timeline (timeline)), ==,
                    takes_timeline_get_duration (timeline));
}

static void
test_trims_snap_to_frames (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesTimeline) timeline = NULL;
  TakesShot *shot;
  GESTimelineElement *clip;
  GstClockTime start, duration, inpoint;

  /* b.mp4 is 36 frames (1.5 s); its AAC priming makes the container
   * longer, which must not add a frame. */
  export_kit_add_shot (project, "Untrimmed", 5, "b.mp4");
  shot = export_kit_add_shot (project, "Trimmed", 5, "b.mp4");
  takes_shot_set_trim_in (shot, 0.26);   /* 6.24 frames → 6 */
  takes_shot_set_trim_out (shot, 0.9);   /* 21.6 frames → 21 */

  timeline = takes_timeline_new (project);
  export_kit_update (timeline);

  g_assert_true (takes_timeline_get_shot_range (timeline, 0, &start, &duration, &inpoint));
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (duration, ==, frames (36));
  g_assert_cmpuint (inpoint, ==, 0);

  g_assert_true (takes_timeline_get_shot_range (timeline, 1, &start, &duration, &inpoint));
  g_assert_cmpuint (start, ==, frames (36));
  g_assert_cmpuint (inpoint, ==, frames (6));
  g_assert_cmpuint (duration, ==, frames (15));

  clip = GES_TIMELINE_ELEMENT (takes_timeline_get_shot_clip (timeline, 1));
  g_assert_cmpuint (ges_timeline_element_get_start (clip), ==, frames (36));
  g_assert_cmpuint (ges_timeline_element_get_inpoint (clip), ==, frames (6));
  g_assert_cmpuint (ges_timeline_element_get_duration (clip), ==, frames (15));
  g_assert_cmpuint (takes_timeline_get_duration (timeline), ==, frames (51));

  g_assert_cmpuint (takes_timeline_get_shot_range (timeline, 2, NULL, NULL, NULL), ==, FALSE);
}

static void
test_crossfade_overlaps (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesTimeline) timeline = NULL;
  TakesShot *first, *second;
  GList *transitions;
  GstClockTime start;

  first = export_kit_add_shot (project, "One", 5, "b.mp4");
  second = export_kit_add_shot (project, "Two", 5, "b.mp4");
  export_kit_add_shot (project, "Three", 5, "a.mp4");
  takes_shot_set_transition (first, TAKES_TRANSITION_CROSSFADE);
  takes_shot_set_transition_duration (first, 0.5);
  /* Far too long for 24 frames: clamped to half of the shorter clip */
  takes_shot_set_transition (second, TAKES_TRANSITION_CROSSFADE);
  takes_shot_set_transition_duration (second, 10);

  timeline = takes_timeline_new (project);
  export_kit_update (timeline);

  g_assert_cmpuint (takes_timeline_get_shot_overlap (timeline, 0), ==, frames (12));
  g_assert_cmpuint (takes_timeline_get_shot_overlap (timeline, 1), ==, span (48, 60));
  g_assert_cmpuint (takes_timeline_get_shot_overlap (timeline, 2), ==, 0);
  g_assert_true (takes_timeline_get_shot_range (timeline, 1, &start, NULL, NULL));
  g_assert_cmpuint (start, ==, frames (24));
  g_assert_true (takes_timeline_get_shot_range (timeline, 2, &start, NULL, NULL));
  g_assert_cmpuint (start, ==, frames (24 + 36 - 12));
  g_assert_cmpuint (takes_timeline_get_duration (timeline), ==, frames (36 + 36 + 24 - 12 - 12));

  transitions = layer_clips (timeline, 0, GES_TYPE_TRANSITION_CLIP);
  g_assert_cmpuint (g_list_length (transitions), >=, 2);
  for (GList *l = transitions; l != NULL; l = l->next)
    {
      GstClockTime t_start = ges_timeline_element_get_start (l->data);
      GstClockTime t_duration = ges_timeline_element_get_duration (l->data);

      g_assert_true ((t_start == frames (24) && t_duration == frames (12)) ||
                     (t_start == frames (48) && t_duration == span (48, 60)));
    }
  g_list_free_full (transitions, gst_object_unref);

  /* Back to a cut: the overlap and the transition go away */
  takes_shot_set_transition (first, TAKES_TRANSITION_CUT);
  takes_shot_set_transition (second, TAKES_TRANSITION_CUT);
  export_kit_update (timeline);
  transitions = layer_clips (timeline, 0, GES_TYPE_TRANSITION_CLIP);
  g_assert_null (transitions);
  g_assert_cmpuint (takes_timeline_get_duration (timeline), ==, frames (96));
}

static void
test_letterbox (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesTimeline) timeline = NULL;

  export_kit_add_shot (project, "Wide", 5, "a.mp4");
  export_kit_add_shot (project, "Portrait", 5, "portrait.mp4");
  export_kit_add_shot (project, "Square", 5, "square.mp4");

  timeline = takes_timeline_new (project);
  export_kit_update (timeline);

  assert_geometry (takes_timeline_get_shot_clip (timeline, 0), 0, 0, 320, 180);
  /* 180x320 into 320x180: 101x180 (180 × 9/16 = 101.25), centred */
  assert_geometry (takes_timeline_get_shot_clip (timeline, 1), 109, 0, 101, 180);
  assert_geometry (takes_timeline_get_shot_clip (timeline, 2), 70, 0, 180, 180);
}

static void
test_fill (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesTimeline) timeline = NULL;
  TakesShot *portrait, *square;

  portrait = export_kit_add_shot (project, "Portrait", 5, "portrait.mp4");
  square = export_kit_add_shot (project, "Square", 5, "square.mp4");
  takes_shot_set_fit (portrait, TAKES_SHOT_FIT_FILL);
  takes_shot_set_fit (square, TAKES_SHOT_FIT_FILL);

  timeline = takes_timeline_new (project);
  export_kit_update (timeline);

  /* Covers the frame: 320 wide, 320 × 16/9 = 568.9 high, centred */
  assert_geometry (takes_timeline_get_shot_clip (timeline, 0), 0, -194, 320, 569);
  assert_geometry (takes_timeline_get_shot_clip (timeline, 1), 0, -70, 320, 320);
}

static void
test_fit_rect (void)
{
  int x, y, w, h;

  takes_timeline_fit_rect (TAKES_SHOT_FIT_LETTERBOX, 1920, 1080, 1280, 720, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 0); g_assert_cmpint (y, ==, 0);
  g_assert_cmpint (w, ==, 1280); g_assert_cmpint (h, ==, 720);

  /* 2.39:1 into 16:9: bars top and bottom */
  takes_timeline_fit_rect (TAKES_SHOT_FIT_LETTERBOX, 1920, 804, 1920, 1080, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 0); g_assert_cmpint (y, ==, 138);
  g_assert_cmpint (w, ==, 1920); g_assert_cmpint (h, ==, 804);

  takes_timeline_fit_rect (TAKES_SHOT_FIT_FILL, 1920, 804, 1920, 1080, &x, &y, &w, &h);
  g_assert_cmpint (h, ==, 1080); g_assert_cmpint (w, ==, 2579);
  g_assert_cmpint (x, ==, -329); g_assert_cmpint (y, ==, 0);
}

static void
test_fps_fraction (void)
{
  int n, d;

  takes_timeline_fps_to_fraction (23.976, &n, &d);
  g_assert_cmpint (n, ==, 24000); g_assert_cmpint (d, ==, 1001);
  takes_timeline_fps_to_fraction (29.97, &n, &d);
  g_assert_cmpint (n, ==, 30000); g_assert_cmpint (d, ==, 1001);
  takes_timeline_fps_to_fraction (25, &n, &d);
  g_assert_cmpint (n, ==, 25); g_assert_cmpint (d, ==, 1);
  takes_timeline_fps_to_fraction (12.5, &n, &d);
  g_assert_cmpint (n, ==, 25); g_assert_cmpint (d, ==, 2);
}

static void
test_placeholder (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesTimeline) timeline = NULL;
  TakesShot *missing;
  GList *titles;
  g_autofree char *text = NULL;
  GstClockTime start, duration;

  export_kit_add_shot (project, "Real", 5, "a.mp4");
  export_kit_add_shot (project, "Not Yet", 1.5, NULL);
  missing = export_kit_add_shot (project, "Gone", 0.5, "a.mp4");
  takes_take_set_media (takes_shot_get_picked_take (missing), "does-not-exist.mp4");

  timeline = takes_timeline_new (project);
  export_kit_update (timeline);

  g_assert_false (takes_timeline_shot_is_placeholder (timeline, 0));
  g_assert_true (takes_timeline_shot_is_placeholder (timeline, 1));
  g_assert_null (takes_timeline_get_shot_problem (timeline, 1));
  g_assert_true (takes_timeline_shot_is_placeholder (timeline, 2));
  g_assert_nonnull (strstr (takes_timeline_get_shot_problem (timeline, 2), "does-not-exist.mp4"));

  /* The shot's own duration keeps the film's timing visible */
  g_assert_true (takes_timeline_get_shot_range (timeline, 1, &start, &duration, NULL));
  g_assert_cmpuint (start, ==, frames (24));
  g_assert_cmpuint (duration, ==, frames (36));
  g_assert_true (takes_timeline_get_shot_range (timeline, 2, &start, &duration, NULL));
  g_assert_cmpuint (duration, ==, frames (12));
  g_assert_cmpuint (takes_timeline_get_duration (timeline), ==, frames (72));

  titles = layer_clips (timeline, 0, GES_TYPE_TITLE_CLIP);
  g_assert_cmpuint (g_list_length (titles), ==, 2);
  g_assert_true (GES_CLIP (titles->data) == takes_timeline_get_shot_clip (timeline, 1));
  ges_timeline_element_get_child_properties (GES_TIMELINE_ELEMENT (video_source (titles->data)),
                                             "text", &text, NULL);
  g_assert_nonnull (strstr (text, "Not Yet"));
  g_list_free_full (titles, gst_object_unref);
}

static void
test_soundtrack_layer (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesTimeline) timeline = NULL;
  g_autoptr(TakesSoundtrackClip) music = takes_soundtrack_clip_new ("tone.ogg");
  g_autoptr(TakesSoundtrackClip) lost = takes_soundtrack_clip_new ("no-such.ogg");
  GList *clips, *layers;
  GESClip *clip;
  double volume = 0;

  export_kit_add_shot (project, "One", 5, "a.mp4");
  export_kit_add_shot (project, "Two", 5, "b.mp4");
  takes_soundtrack_clip_set_start (music, 0.5);
  takes_soundtrack_clip_set_inpoint (music, 0.25);
  takes_soundtrack_clip_set_volume (music, 0.5);
  takes_project_add_soundtrack_clip (project, music);
  takes_project_add_soundtrack_clip (project, lost);

  timeline = takes_timeline_new (project);
  export_kit_update (timeline);

  layers = ges_timeline_get_layers (takes_timeline_get_ges_timeline (timeline));
  g_assert_cmpuint (g_list_length (layers), ==, 2);
  g_list_free_full (layers, gst_object_unref);
  clips = layer_clips (timeline, 1, GES_TYPE_URI_CLIP);
  g_assert_cmpuint (g_list_length (clips), ==, 1);
  clip = clips->data;
  g_assert_cmpint (ges_clip_get_supported_formats (clip), ==, GES_TRACK_TYPE_AUDIO);
  g_assert_cmpuint (ges_timeline_element_get_start (GES_TIMELINE_ELEMENT (clip)), ==, frames (12));
  g_assert_cmpuint (ges_timeline_element_get_inpoint (GES_TIMELINE_ELEMENT (clip)), ==, GST_SECOND / 4);
  /* The 3 s tone would run past the 2.5 s film: cut at its end */
  g_assert_cmpuint (ges_timeline_element_get_duration (GES_TIMELINE_ELEMENT (clip)), ==, frames (60 - 12));
  g_assert_null (ges_clip_find_track_elements (clip, NULL, GES_TRACK_TYPE_VIDEO, G_TYPE_NONE));
  ges_timeline_element_get_child_properties (GES_TIMELINE_ELEMENT (clip), "volume", &volume, NULL);
  g_assert_cmpfloat (volume, ==, 0.5);
  g_list_free_full (clips, gst_object_unref);

  g_assert_cmpuint (ges_timeline_get_duration (takes_timeline_get_ges_timeline (timeline)), ==, frames (60));
}

static void
test_restriction_caps (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesTimeline) timeline = NULL;
  GList *tracks;

  export_kit_add_shot (project, "One", 5, "a.mp4");
  timeline = takes_timeline_new (project);
  takes_timeline_set_format (timeline, 640, 360, 25);
  export_kit_update (timeline);

  g_assert_cmpint (takes_timeline_get_width (timeline), ==, 640);
  tracks = ges_timeline_get_tracks (takes_timeline_get_ges_timeline (timeline));
  g_assert_cmpuint (g_list_length (tracks), ==, 2);
  for (GList *l = tracks; l != NULL; l = l->next)
    {
      const GstCaps *caps = ges_track_get_restriction_caps (l->data);
      GstStructure *s = gst_caps_get_structure (caps, 0);
      int value, n, d;

      if (GES_IS_VIDEO_TRACK (l->data))
        {
          g_assert_true (gst_structure_get_int (s, "width", &value));
          g_assert_cmpint (value, ==, 640);
          g_assert_true (gst_structure_get_int (s, "height", &value));
          g_assert_cmpint (value, ==, 360);
          g_assert_true (gst_structure_get_fraction (s, "framerate", &n, &d));
          g_assert_cmpint (n, ==, 25);
          g_assert_cmpint (d, ==, 1);
        }
      else
        {
          g_assert_true (gst_structure_get_int (s, "rate", &value));
          g_assert_cmpint (value, ==, 48000);
          g_assert_true (gst_structure_get_int (s, "channels", &value));
          g_assert_cmpint (value, ==, 2);
        }
    }
  g_list_free_full (tracks, gst_object_unref);

  /* Letterboxing follows the output size, not the project's */
  assert_geometry (takes_timeline_get_shot_clip (timeline, 0), 0, 0, 640, 360);
  /* 24 frames at 24 fps is one second, so 25 frames at 25 */
  g_assert_cmpuint (takes_timeline_get_duration (timeline), ==, GST_SECOND);
}

static void
on_updated (TakesTimeline *timeline,
            gboolean      *flag)
{
  *flag = TRUE;
}

static void
wait_updated (TakesTimeline *timeline)
{
  gboolean updated = FALSE;
  gulong id = g_signal_connect (timeline, "updated", G_CALLBACK (on_updated), &updated);

  export_kit_wait (&updated);
  g_signal_handler_disconnect (timeline, id);
}

static void
test_follows_edits_and_undo (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesHistory) history = takes_history_new (project);
  g_autoptr(TakesTimeline) timeline = NULL;
  TakesShot *one, *two;

  one = export_kit_add_shot (project, "One", 5, "a.mp4");
  two = export_kit_add_shot (project, "Two", 5, "b.mp4");

  timeline = takes_timeline_new (project);
  export_kit_update (timeline);
  g_assert_cmpuint (takes_timeline_get_shot_start (timeline, two), ==, frames (24));

  takes_history_move_shot (history, 1, 0);
  wait_updated (timeline);
  g_assert_true (takes_timeline_get_shot (timeline, 0) == two);
  g_assert_cmpuint (takes_timeline_get_shot_start (timeline, one), ==, frames (36));
  g_assert_true (g_str_has_suffix (ges_uri_clip_get_uri (GES_URI_CLIP (takes_timeline_get_shot_clip (timeline, 0))), "b.mp4"));

  takes_history_set_double (history, one, "trim-in", 0.5);
  wait_updated (timeline);
  g_assert_cmpuint (takes_timeline_get_duration (timeline), ==, frames (36 + 12));

  g_assert_true (takes_history_undo (history));
  wait_updated (timeline);
  g_assert_cmpuint (takes_timeline_get_duration (timeline), ==, frames (60));

  g_assert_true (takes_history_undo (history));
  wait_updated (timeline);
  g_assert_true (takes_timeline_get_shot (timeline, 0) == one);
  g_assert_cmpuint (takes_timeline_get_shot_start (timeline, two), ==, frames (24));

  /* Picking no take turns the clip into a placeholder */
  takes_shot_set_picked_take_id (two, NULL);
  wait_updated (timeline);
  g_assert_true (takes_timeline_shot_is_placeholder (timeline, 1));
  g_assert_cmpuint (takes_timeline_get_duration (timeline), ==, frames (24 + 120));

  /* A text-only edit updates metadata without a rebuild */
  takes_shot_set_prompt (one, "Another prompt");
  while (takes_timeline_is_updating (timeline))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (ges_meta_container_get_string (GES_META_CONTAINER (takes_timeline_get_shot_clip (timeline, 0)),
                                                  TAKES_TIMELINE_META_PROMPT), ==, "Another prompt");

  /* Turned off, edits leave the timeline alone */
  takes_timeline_set_follow_changes (timeline, FALSE);
  takes_project_move_shot (project, 1, 0);
  g_assert_false (takes_timeline_is_updating (timeline));
  g_assert_true (takes_timeline_get_shot (timeline, 0) == one);
}

static void
test_metadata (void)
{
  g_autoptr(TakesProject) project = new_project ();
  g_autoptr(TakesTimeline) timeline = NULL;
  GESMetaContainer *meta;
  gint64 seed = 0;
  guint number = 0;

  export_kit_add_shot (project, "One", 5, "a.mp4");
  export_kit_add_shot (project, "Two", 5, "b.mp4");
  timeline = takes_timeline_new (project);
  export_kit_update (timeline);

  meta = GES_META_CONTAINER (takes_timeline_get_shot_clip (timeline, 1));
  g_assert_cmpstr (ges_meta_container_get_string (meta, TAKES_TIMELINE_META_TITLE), ==, "Two");
  g_assert_cmpstr (ges_meta_container_get_string (meta, TAKES_TIMELINE_META_PROMPT), ==,
                   "A gull over the harbour, \"golden\" light");
  g_assert_cmpstr (ges_meta_container_get_string (meta, TAKES_TIMELINE_META_BACKEND), ==, "animatic");
  g_assert_cmpstr (ges_meta_container_get_string (meta, TAKES_TIMELINE_META_MODEL), ==, "animatic-1");
  g_assert_true (ges_meta_container_get_int64 (meta, TAKES_TIMELINE_META_SEED, &seed));
  g_assert_cmpint (seed, ==, 1234);
  g_assert_true (ges_meta_container_get_uint (meta, TAKES_TIMELINE_META_SHOT_NUMBER, &number));
  g_assert_cmpuint (number, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  int status;
  ExportKitClip wide = { 320, 180, FPS, 24, TRUE, NULL };
  ExportKitClip longer = { 320, 180, FPS, 36, TRUE, "smpte" };
  ExportKitClip silent = { 320, 180, FPS, 24, FALSE, "snow" };
  ExportKitClip portrait = { 180, 320, FPS, 24, TRUE, NULL };
  ExportKitClip square = { 180, 180, FPS, 24, TRUE, NULL };

  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  ges_init ();

  media_dir = export_kit_make_dir ();
  g_free (export_kit_make_clip (media_dir, "a.mp4", &wide));
  g_free (export_kit_make_clip (media_dir, "b.mp4", &longer));
  g_free (export_kit_make_clip (media_dir, "c.mp4", &silent));
  g_free (export_kit_make_clip (media_dir, "portrait.mp4", &portrait));
  g_free (export_kit_make_clip (media_dir, "square.mp4", &square));
  g_free (export_kit_make_tone (media_dir, "tone.ogg", 3));

  g_test_add_func ("/Takes/Timeline/order", test_order);
  g_test_add_func ("/Takes/Timeline/trims-snap-to-frames", test_trims_snap_to_frames);
  g_test_add_func ("/Takes/Timeline/crossfade-overlaps", test_crossfade_overlaps);
  g_test_add_func ("/Takes/Timeline/letterbox", test_letterbox);
  g_test_add_func ("/Takes/Timeline/fill", test_fill);
  g_test_add_func ("/Takes/Timeline/fit-rect", test_fit_rect);
  g_test_add_func ("/Takes/Timeline/fps-fraction", test_fps_fraction);
  g_test_add_func ("/Takes/Timeline/placeholder", test_placeholder);
  g_test_add_func ("/Takes/Timeline/soundtrack-layer", test_soundtrack_layer);
  g_test_add_func ("/Takes/Timeline/restriction-caps", test_restriction_caps);
  g_test_add_func ("/Takes/Timeline/follows-edits-and-undo", test_follows_edits_and_undo);
  g_test_add_func ("/Takes/Timeline/metadata", test_metadata);

  status = g_test_run ();

  export_kit_remove_tree (media_dir);
  g_free (media_dir);

  return status;
}
