/* test-otio.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-otio"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "export-kit.h"
#include "takes-otio.h"

#define FPS 24

static char *media_dir;

/* a (24 frames) ×0.5 s crossfade× b (36 frames) | a shot without a take
 * (1 s) | a silent take c (24 frames); a tone on the soundtrack from 0.5 s */
static TakesTimeline *
build_cut (TakesProject **project_out)
{
  g_autoptr(TakesProject) project = export_kit_project (media_dir, 320, 180, FPS);
  g_autoptr(TakesSoundtrackClip) music = takes_soundtrack_clip_new ("tone.ogg");
  TakesTimeline *timeline;
  TakesShot *first;

  first = export_kit_add_shot (project, "Harbour «dawn»", 5, "a.mp4");
  takes_shot_set_transition (first, TAKES_TRANSITION_CROSSFADE);
  takes_shot_set_transition_duration (first, 0.5);
  export_kit_add_shot (project, "Gull", 5, "b.mp4");
  export_kit_add_shot (project, "Not yet", 1, NULL);
  export_kit_add_shot (project, "Quiet", 5, "c.mp4");
  takes_soundtrack_clip_set_start (music, 0.5);
  takes_project_add_soundtrack_clip (project, music);

  timeline = takes_timeline_new (project);
  export_kit_update (timeline);

  *project_out = g_steal_pointer (&project);
  return timeline;
}

static const char *
schema_of (JsonObject *object)
{
  return json_object_get_string_member_with_default (object, "OTIO_SCHEMA", NULL);
}

static double
rational_value (JsonObject *object,
                const char *member)
{
  JsonObject *rt = json_object_get_object_member (object, member);

  g_assert_nonnull (rt);
  g_assert_cmpstr (schema_of (rt), ==, "RationalTime.1");
  g_assert_cmpfloat (json_object_get_double_member (rt, "rate"), ==, FPS);

  return json_object_get_double_member (rt, "value");
}

static void
range_values (JsonObject *object,
              const char *member,
              double     *start,
              double     *duration)
{
  JsonObject *range = json_object_get_object_member (object, member);

  g_assert_nonnull (range);
  g_assert_cmpstr (schema_of (range), ==, "TimeRange.1");
  *start = rational_value (range, "start_time");
  *duration = rational_value (range, "duration");
}

/* Every object that names a schema has the fields the published schema
 * gives it (OTIO file format specification, serialized schema). */
static void
check_schema (JsonNode *node)
{
  static const struct { const char *schema; const char *fields[8]; } required[] = {
    { "Timeline.1", { "name", "metadata", "global_start_time", "tracks", NULL } },
    { "Stack.1", { "name", "metadata", "children", "effects", "markers", "enabled", "source_range", NULL } },
    { "Track.1", { "name", "metadata", "children", "kind", "effects", "markers", "source_range", NULL } },
    { "Clip.1", { "name", "metadata", "source_range", "media_reference", "effects", "markers", "enabled", NULL } },
    { "Gap.1", { "name", "metadata", "source_range", "effects", "markers", "enabled", NULL } },
    { "Transition.1", { "name", "metadata", "transition_type", "in_offset", "out_offset", NULL } },
    { "ExternalReference.1", { "name", "metadata", "target_url", "available_range", NULL } },
    { "TimeRange.1", { "start_time", "duration", NULL } },
    { "RationalTime.1", { "rate", "value", NULL } },
  };

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        check_schema (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      const char *schema = schema_of (object);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      gboolean known = FALSE;

      if (schema != NULL)
        {
          for (guint i = 0; i < G_N_ELEMENTS (required); i++)
            {
              if (!g_str_equal (required[i].schema, schema))
                continue;

              known = TRUE;
              for (guint f = 0; required[i].fields[f] != NULL; f++)
                if (!json_object_has_member (object, required[i].fields[f]))
                  g_error ("%s lacks “%s”", schema, required[i].fields[f]);
            }
          if (!known)
            g_error ("Unexpected schema %s", schema);
        }

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &member))
        {
          /* Provenance is free-form */
          if (!g_str_equal (name, "metadata"))
            check_schema (member);
        }
    }
}

static JsonObject *
child (JsonObject *object,
       guint       index)
{
  JsonArray *children = json_object_get_array_member (object, "children");

  g_assert_nonnull (children);
  g_assert_cmpuint (index, <, json_array_get_length (children));

  return json_array_get_object_element (children, index);
}

/* Record time an item takes in its track: clips and gaps, not transitions */
static double
track_length (JsonObject *track)
{
  JsonArray *children = json_object_get_array_member (track, "children");
  double total = 0;

  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *item = json_array_get_object_element (children, i);
      double start, duration;

      if (g_str_equal (schema_of (item), "Transition.1"))
        continue;
      range_values (item, "source_range", &start, &duration);
      total += duration;
    }

  return total;
}

static void
test_structure (void)
{
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(TakesTimeline) timeline = build_cut (&project);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  JsonObject *root, *stack, *video, *clip, *transition, *reference, *meta, *audio, *music;
  gsize length;
  double start, duration;
  const char *url;

  data = takes_otio_to_data (timeline, &length);
  g_assert_true (json_parser_load_from_data (parser, data, length, &error));
  g_assert_no_error (error);

  check_schema (json_parser_get_root (parser));

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (schema_of (root), ==, "Timeline.1");
  g_assert_cmpstr (json_object_get_string_member (root, "name"), ==, "Test Film");
  g_assert_cmpfloat (rational_value (root, "global_start_time"), ==, 0);

  stack = json_object_get_object_member (root, "tracks");
  g_assert_cmpstr (schema_of (stack), ==, "Stack.1");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (stack, "children")), ==, 3);

  video = child (stack, 0);
  g_assert_cmpstr (schema_of (video), ==, "Track.1");
  g_assert_cmpstr (json_object_get_string_member (video, "kind"), ==, "Video");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (video, "children")), ==, 5);

  /* Shot 1 ends at the middle of the 12-frame overlap */
  clip = child (video, 0);
  g_assert_cmpstr (schema_of (clip), ==, "Clip.1");
  g_assert_cmpstr (json_object_get_string_member (clip, "name"), ==, "Harbour «dawn»");
  range_values (clip, "source_range", &start, &duration);
  g_assert_cmpfloat (start, ==, 0);
  g_assert_cmpfloat (duration, ==, 18);

  reference = json_object_get_object_member (clip, "media_reference");
  g_assert_cmpstr (schema_of (reference), ==, "ExternalReference.1");
  url = json_object_get_string_member (reference, "target_url");
  g_assert_true (g_str_has_prefix (url, "file:///"));
  g_assert_true (g_str_has_suffix (url, "/a.mp4"));
  {
    g_autoptr(GFile) file = g_file_new_for_uri (url);

    g_assert_true (g_file_query_exists (file, NULL));
  }
  range_values (reference, "available_range", &start, &duration);
  g_assert_cmpfloat (start, ==, 0);
  g_assert_cmpfloat (duration, ==, 24);

  meta = json_object_get_object_member (json_object_get_object_member (clip, "metadata"), "takes");
  g_assert_nonnull (meta);
  g_assert_cmpstr (json_object_get_string_member (meta, "shot_id"), ==,
                   takes_shot_get_id (takes_project_get_shot (project, 0)));
  g_assert_cmpint (json_object_get_int_member (meta, "shot_number"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (meta, "title"), ==, "Harbour «dawn»");
  g_assert_cmpstr (json_object_get_string_member (meta, "prompt"), ==, "A gull over the harbour, \"golden\" light");
  g_assert_cmpstr (json_object_get_string_member (meta, "negative_prompt"), ==, "text, watermark");
  g_assert_cmpstr (json_object_get_string_member (meta, "backend"), ==, "animatic");
  g_assert_cmpstr (json_object_get_string_member (meta, "model"), ==, "animatic-1");
  g_assert_cmpint (json_object_get_int_member (meta, "seed"), ==, 1234);
  g_assert_cmpstr (json_object_get_string_member (meta, "take_id"), ==,
                   takes_take_get_id (takes_shot_get_picked_take (takes_project_get_shot (project, 0))));
  g_assert_cmpstr (json_object_get_string_member (meta, "remote_id"), ==, "remote-42");
  g_assert_cmpfloat (json_object_get_double_member (meta, "cost"), ==, 0.25);

  transition = child (video, 1);
  g_assert_cmpstr (schema_of (transition), ==, "Transition.1");
  g_assert_cmpstr (json_object_get_string_member (transition, "transition_type"), ==, "SMPTE_Dissolve");
  g_assert_cmpfloat (rational_value (transition, "in_offset"), ==, 6);
  g_assert_cmpfloat (rational_value (transition, "out_offset"), ==, 6);

  /* Shot 2 starts 6 frames into its take, after the cut */
  clip = child (video, 2);
  g_assert_cmpstr (schema_of (clip), ==, "Clip.1");
  range_values (clip, "source_range", &start, &duration);
  g_assert_cmpfloat (start, ==, 6);
  g_assert_cmpfloat (duration, ==, 30);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_object_get_object_member (clip, "media_reference"), "target_url"), "/b.mp4"));

  clip = child (video, 3);
  g_assert_cmpstr (schema_of (clip), ==, "Gap.1");
  range_values (clip, "source_range", &start, &duration);
  g_assert_cmpfloat (duration, ==, 24);

  g_assert_cmpstr (schema_of (child (video, 4)), ==, "Clip.1");

  /* The track is exactly as long as the cut */
  g_assert_cmpfloat (track_length (video), ==,
                     takes_timeline_time_to_frame (timeline, takes_timeline_get_duration (timeline)));
  g_assert_cmpfloat (track_length (video), ==, 24 + 36 - 12 + 24 + 24);

  /* The takes' own sound; c.mp4 has none */
  audio = child (stack, 1);
  g_assert_cmpstr (json_object_get_string_member (audio, "kind"), ==, "Audio");
  g_assert_cmpstr (schema_of (child (audio, 0)), ==, "Clip.1");
  g_assert_cmpstr (schema_of (child (audio, 1)), ==, "Transition.1");
  g_assert_cmpstr (schema_of (child (audio, 4)), ==, "Gap.1");
  g_assert_cmpfloat (track_length (audio), ==, track_length (video));

  music = child (stack, 2);
  g_assert_cmpstr (json_object_get_string_member (music, "kind"), ==, "Audio");
  g_assert_cmpstr (schema_of (child (music, 0)), ==, "Gap.1");
  range_values (child (music, 0), "source_range", &start, &duration);
  g_assert_cmpfloat (duration, ==, 12);
  clip = child (music, 1);
  g_assert_cmpstr (schema_of (clip), ==, "Clip.1");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_object_get_object_member (clip, "media_reference"), "target_url"), "/tone.ogg"));
  range_values (clip, "source_range", &start, &duration);
  /* Cut at the end of the film */
  g_assert_cmpfloat (duration, ==, track_length (video) - 12);
}

static void
test_write_file (void)
{
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(TakesTimeline) timeline = build_cut (&project);
  g_autofree char *path = g_build_filename (media_dir, "cut.otio", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *nowhere = g_build_filename (media_dir, "missing", "cut.otio", NULL);
  g_autoptr(GFile) bad = g_file_new_for_path (nowhere);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (takes_otio_write (timeline, file, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);

  g_assert_false (takes_otio_write (timeline, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "cut.otio"));
  g_unlink (path);
}

static void
on_loaded (GESProject  *project,
           GESTimeline *timeline,
           gboolean    *done)
{
  *done = TRUE;
}

static void
on_error_loading (GESProject  *project,
                  GESTimeline *timeline,
                  GError      *error,
                  gboolean    *done)
{
  g_error ("The .xges did not load: %s", error->message);
}

static void
test_xges_loads_back (void)
{
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(TakesTimeline) timeline = build_cut (&project);
  g_autofree char *path = g_build_filename (media_dir, "cut.xges", NULL);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GESProject) ges_project = NULL;
  g_autoptr(GESTimeline) loaded = NULL;
  GList *layers, *clips;
  guint n_uri = 0, n_title = 0, n_transition = 0;
  gboolean done = FALSE;
  g_autofree char *contents = NULL;

  g_assert_true (takes_xges_write (timeline, file, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));

  /* The provenance is in the file itself */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, TAKES_TIMELINE_META_PROMPT));
  g_assert_nonnull (strstr (contents, "animatic-1"));

  ges_project = ges_project_new (uri);
  g_signal_connect (ges_project, "loaded", G_CALLBACK (on_loaded), &done);
  g_signal_connect (ges_project, "error-loading", G_CALLBACK (on_error_loading), &done);
  loaded = GES_TIMELINE (ges_asset_extract (GES_ASSET (ges_project), &error));
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  export_kit_wait (&done);

  layers = ges_timeline_get_layers (loaded);
  g_assert_cmpuint (g_list_length (layers), ==, 2);

  clips = ges_layer_get_clips (layers->data);
  for (GList *l = clips; l != NULL; l = l->next)
    {
      GESTimelineElement *element = l->data;

      if (GES_IS_URI_CLIP (element))
        {
          const char *prompt = ges_meta_container_get_string (GES_META_CONTAINER (element),
                                                              TAKES_TIMELINE_META_PROMPT);
          guint number = 0;
          GstClockTime start, duration, inpoint;

          g_assert_true (ges_meta_container_get_uint (GES_META_CONTAINER (element),
                                                      TAKES_TIMELINE_META_SHOT_NUMBER, &number));
          g_assert_cmpstr (prompt, ==, "A gull over the harbour, \"golden\" light");
          g_assert_cmpstr (ges_meta_container_get_string (GES_META_CONTAINER (element), TAKES_TIMELINE_META_MODEL),
                           ==, "animatic-1");
          g_assert_true (takes_timeline_get_shot_range (timeline, number - 1, &start, &duration, &inpoint));
          g_assert_cmpuint (ges_timeline_element_get_start (element), ==, start);
          g_assert_cmpuint (ges_timeline_element_get_duration (element), ==, duration);
          g_assert_cmpuint (ges_timeline_element_get_inpoint (element), ==, inpoint);
          n_uri++;
        }
      else if (GES_IS_TITLE_CLIP (element))
        n_title++;
      else if (GES_IS_TRANSITION_CLIP (element))
        n_transition++;
    }
  g_list_free_full (clips, gst_object_unref);

  g_assert_cmpuint (n_uri, ==, 3);
  g_assert_cmpuint (n_title, ==, 1);
  g_assert_cmpuint (n_transition, >=, 1);

  clips = ges_layer_get_clips (layers->next->data);
  g_assert_cmpuint (g_list_length (clips), ==, 1);
  g_list_free_full (clips, gst_object_unref);
  g_list_free_full (layers, gst_object_unref);

  g_assert_cmpuint (ges_timeline_get_duration (loaded), ==, takes_timeline_get_duration (timeline));
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  int status;
  ExportKitClip wide = { 320, 180, FPS, 24, TRUE, NULL };
  ExportKitClip longer = { 320, 180, FPS, 36, TRUE, "smpte" };
  ExportKitClip silent = { 320, 180, FPS, 24, FALSE, "snow" };

  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  ges_init ();

  media_dir = export_kit_make_dir ();
  g_free (export_kit_make_clip (media_dir, "a.mp4", &wide));
  g_free (export_kit_make_clip (media_dir, "b.mp4", &longer));
  g_free (export_kit_make_clip (media_dir, "c.mp4", &silent));
  g_free (export_kit_make_tone (media_dir, "tone.ogg", 5));

  g_test_add_func ("/Takes/Otio/structure", test_structure);
  g_test_add_func ("/Takes/Otio/write-file", test_write_file);
  g_test_add_func ("/Takes/Xges/loads-back", test_xges_loads_back);

  status = g_test_run ();

  export_kit_remove_tree (media_dir);
  g_free (media_dir);

  return status;
}
