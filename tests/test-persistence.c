/* test-persistence.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

#include "takes-json-guard.h"
#include "takes-project.h"

#define HEAD "{\"format\":\"takes-project\",\"version\":1"

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("takes-test-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

static char *
fixture_path (const char *name)
{
  return g_build_filename (TEST_SOURCE_DIR, "fixtures", name, NULL);
}

static TakesProject *
build_full_project (void)
{
  TakesProject *project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesShot) second = takes_shot_new ();
  g_autoptr(TakesTake) take = takes_take_new ("kling", "kling-v2-master");
  g_autoptr(TakesTake) other = takes_take_new ("sora", "sora-2");
  g_autoptr(TakesSoundtrackClip) clip = takes_soundtrack_clip_new ("Film.media/score.ogg");
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) kling = json_object_new ();
  g_autoptr(JsonObject) request = json_object_new ();

  takes_project_set_title (project, "Harbour «at» Dawn — \"quoted\"\n\t\\ 港口");
  takes_project_set_size (project, 1280, 720);
  takes_project_set_fps (project, 23.976);
  takes_project_set_budget (project, 12.5);

  takes_shot_set_id (shot, "s-aaaaaaaaaaaa");
  takes_shot_set_title (shot, "Opening");
  takes_shot_set_prompt (shot, "Wide shot\nof a harbour at dawn, 0.1 mist");
  takes_shot_set_negative_prompt (shot, "watermark");
  takes_shot_set_duration (shot, 4.25);
  takes_shot_set_aspect (shot, "21:9");
  takes_shot_set_seed (shot, G_GINT64_CONSTANT (9007199254740993));
  takes_shot_set_reference_image (shot, "Film.media/ref.png");
  takes_shot_set_notes (shot, "shot notes");
  json_object_set_string_member (kling, "mode", "pro");
  json_object_set_double_member (kling, "cfg_scale", 0.1);
  json_object_set_object_member (params, "kling", json_object_ref (kling));
  takes_shot_set_backend_params (shot, params);
  takes_shot_set_trim_in (shot, 0.5);
  takes_shot_set_trim_out (shot, 3.75);
  takes_shot_set_transition (shot, TAKES_TRANSITION_CROSSFADE);
  takes_shot_set_transition_duration (shot, 0.75);
  takes_shot_set_fit (shot, TAKES_SHOT_FIT_FILL);

  takes_take_set_id (take, "t-bbbbbbbbbbbb");
  json_object_set_string_member (request, "prompt", "Wide shot");
  json_object_set_int_member (request, "duration", 5);
  takes_take_set_request (take, request);
  takes_take_set_remote_id (take, "remote-1");
  takes_take_set_client_request_id (take, "client-1");
  takes_take_set_state (take, TAKES_TAKE_READY);
  takes_take_set_progress (take, 1.0);
  takes_take_set_error (take, NULL);
  takes_take_set_media (take, "Film.media/t-bbbbbbbbbbbb.mp4");
  takes_take_set_thumbnail (take, "Film.media/t-bbbbbbbbbbbb.jpg");
  takes_take_set_probe (take, 5.041, 1920, 1080, 29.97, "H.264", "AAC", TRUE);
  takes_take_set_cost_estimate (take, 0.7);
  takes_take_set_cost_actual (take, 0.65);
  takes_take_set_created (take, 1767225600);
  takes_take_set_submitted (take, 1767225601);
  takes_take_set_finished (take, 1767225750);
  takes_take_set_rating (take, 4);
  takes_take_set_notes (take, "take notes");
  takes_shot_add_take (shot, take);

  takes_take_set_state (other, TAKES_TAKE_FAILED);
  takes_take_set_progress (other, 0.35);
  takes_take_set_error (other, "Rejected by moderation");
  takes_shot_add_take (shot, other);
  takes_shot_set_picked_take_id (shot, "t-bbbbbbbbbbbb");

  takes_project_append_shot (project, shot);
  takes_project_append_shot (project, second);

  takes_soundtrack_clip_set_id (clip, "a-cccccccccccc");
  takes_soundtrack_clip_set_start (clip, 1.5);
  takes_soundtrack_clip_set_inpoint (clip, 2.5);
  takes_soundtrack_clip_set_duration (clip, 30);
  takes_soundtrack_clip_set_volume (clip, 0.8);
  takes_project_add_soundtrack_clip (project, clip);

  return project;
}

static void
test_round_trip (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "Film.takes", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TakesProject) project = build_full_project ();
  g_autoptr(TakesProject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  TakesShot *shot;
  TakesTake *take;
  TakesTake *other;
  g_autoptr(TakesSoundtrackClip) clip = NULL;
  JsonObject *params;
  JsonObject *request;

  g_assert_true (takes_project_save (project, file, &error));
  g_assert_no_error (error);
  g_assert_false (takes_project_get_modified (project));
  g_assert_true (g_file_equal (takes_project_get_file (project), file));

  loaded = takes_project_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_false (takes_project_get_modified (loaded));
  g_assert_true (g_file_equal (takes_project_get_file (loaded), file));

  g_assert_cmpstr (takes_project_get_title (loaded), ==, "Harbour «at» Dawn — \"quoted\"\n\t\\ 港口");
  g_assert_cmpint (takes_project_get_width (loaded), ==, 1280);
  g_assert_cmpint (takes_project_get_height (loaded), ==, 720);
  g_assert_cmpfloat (takes_project_get_fps (loaded), ==, 23.976);
  g_assert_cmpfloat (takes_project_get_budget (loaded), ==, 12.5);
  g_assert_cmpuint (takes_project_get_n_shots (loaded), ==, 2);

  shot = takes_project_get_shot (loaded, 0);
  g_assert_cmpstr (takes_shot_get_id (shot), ==, "s-aaaaaaaaaaaa");
  g_assert_cmpstr (takes_shot_get_title (shot), ==, "Opening");
  g_assert_cmpstr (takes_shot_get_prompt (shot), ==, "Wide shot\nof a harbour at dawn, 0.1 mist");
  g_assert_cmpstr (takes_shot_get_negative_prompt (shot), ==, "watermark");
  g_assert_cmpfloat (takes_shot_get_duration (shot), ==, 4.25);
  g_assert_cmpstr (takes_shot_get_aspect (shot), ==, "21:9");
  g_assert_cmpint (takes_shot_get_seed (shot), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpstr (takes_shot_get_reference_image (shot), ==, "Film.media/ref.png");
  g_assert_cmpstr (takes_shot_get_notes (shot), ==, "shot notes");
  params = takes_shot_get_backend_params (shot);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (params, "kling"), "mode"), ==, "pro");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (params, "kling"), "cfg_scale"), ==, 0.1);
  g_assert_cmpstr (takes_shot_get_picked_take_id (shot), ==, "t-bbbbbbbbbbbb");
  g_assert_cmpfloat (takes_shot_get_trim_in (shot), ==, 0.5);
  g_assert_cmpfloat (takes_shot_get_trim_out (shot), ==, 3.75);
  g_assert_cmpint (takes_shot_get_transition (shot), ==, TAKES_TRANSITION_CROSSFADE);
  g_assert_cmpfloat (takes_shot_get_transition_duration (shot), ==, 0.75);
  g_assert_cmpint (takes_shot_get_fit (shot), ==, TAKES_SHOT_FIT_FILL);
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (shot)), ==, 2);

  take = takes_shot_get_picked_take (shot);
  g_assert_nonnull (take);
  g_assert_cmpstr (takes_take_get_backend (take), ==, "kling");
  g_assert_cmpstr (takes_take_get_model (take), ==, "kling-v2-master");
  request = takes_take_get_request (take);
  g_assert_nonnull (request);
  g_assert_cmpstr (json_object_get_string_member (request, "prompt"), ==, "Wide shot");
  g_assert_cmpint (json_object_get_int_member (request, "duration"), ==, 5);
  g_assert_cmpstr (takes_take_get_remote_id (take), ==, "remote-1");
  g_assert_cmpstr (takes_take_get_client_request_id (take), ==, "client-1");
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpfloat (takes_take_get_progress (take), ==, 1.0);
  g_assert_null (takes_take_get_error (take));
  g_assert_cmpstr (takes_take_get_media (take), ==, "Film.media/t-bbbbbbbbbbbb.mp4");
  g_assert_cmpstr (takes_take_get_thumbnail (take), ==, "Film.media/t-bbbbbbbbbbbb.jpg");
  g_assert_cmpfloat (takes_take_get_duration (take), ==, 5.041);
  g_assert_cmpint (takes_take_get_width (take), ==, 1920);
  g_assert_cmpint (takes_take_get_height (take), ==, 1080);
  g_assert_cmpfloat (takes_take_get_fps (take), ==, 29.97);
  g_assert_cmpstr (takes_take_get_video_codec (take), ==, "H.264");
  g_assert_cmpstr (takes_take_get_audio_codec (take), ==, "AAC");
  g_assert_true (takes_take_get_has_audio (take));
  g_assert_cmpfloat (takes_take_get_cost_estimate (take), ==, 0.7);
  g_assert_cmpfloat (takes_take_get_cost_actual (take), ==, 0.65);
  g_assert_cmpint (takes_take_get_created (take), ==, 1767225600);
  g_assert_cmpint (takes_take_get_submitted (take), ==, 1767225601);
  g_assert_cmpint (takes_take_get_finished (take), ==, 1767225750);
  g_assert_cmpint (takes_take_get_rating (take), ==, 4);
  g_assert_cmpstr (takes_take_get_notes (take), ==, "take notes");

  other = g_list_model_get_item (takes_shot_get_takes (shot), 1);
  g_object_unref (other);
  g_assert_cmpint (takes_take_get_state (other), ==, TAKES_TAKE_FAILED);
  g_assert_cmpfloat (takes_take_get_progress (other), ==, 0.35);
  g_assert_cmpstr (takes_take_get_error (other), ==, "Rejected by moderation");
  g_assert_null (takes_take_get_request (other));
  g_assert_null (takes_take_get_media (other));
  g_assert_cmpfloat (takes_take_get_cost_estimate (other), <, 0);

  shot = takes_project_get_shot (loaded, 1);
  g_assert_cmpint (takes_shot_get_seed (shot), ==, -1);
  g_assert_cmpint (takes_shot_get_fit (shot), ==, TAKES_SHOT_FIT_LETTERBOX);
  g_assert_null (takes_shot_get_picked_take_id (shot));

  clip = g_list_model_get_item (takes_project_get_soundtrack (loaded), 0);
  g_assert_cmpstr (takes_soundtrack_clip_get_id (clip), ==, "a-cccccccccccc");
  g_assert_cmpstr (takes_soundtrack_clip_get_media (clip), ==, "Film.media/score.ogg");
  g_assert_cmpfloat (takes_soundtrack_clip_get_start (clip), ==, 1.5);
  g_assert_cmpfloat (takes_soundtrack_clip_get_inpoint (clip), ==, 2.5);
  g_assert_cmpfloat (takes_soundtrack_clip_get_duration (clip), ==, 30);
  g_assert_cmpfloat (takes_soundtrack_clip_get_volume (clip), ==, 0.8);

  /* And the bytes are stable through another cycle. */
  first = takes_project_to_data (project, NULL);
  second = takes_project_to_data (loaded, NULL);
  g_assert_cmpstr (first, ==, second);

  remove_tree (dir);
}

static void
test_fixture_v1 (void)
{
  g_autofree char *path = fixture_path ("v1-film.takes");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TakesSoundtrackClip) clip = NULL;
  g_autofree char *display = NULL;
  TakesShot *shot;
  TakesTake *take;

  project = takes_project_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);

  g_assert_cmpstr (takes_project_get_title (project), ==, "Harbour at Dawn");
  g_assert_cmpint (takes_project_get_width (project), ==, 1920);
  g_assert_cmpfloat (takes_project_get_fps (project), ==, 24);
  g_assert_cmpfloat (takes_project_get_budget (project), ==, 25.5);
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 3);

  shot = takes_project_get_shot (project, 0);
  g_assert_cmpstr (takes_shot_get_title (shot), ==, "Opening");
  g_assert_cmpint (takes_shot_get_seed (shot), ==, 1234);
  take = takes_shot_get_picked_take (shot);
  g_assert_nonnull (take);
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_READY);
  g_assert_cmpint (takes_take_get_rating (take), ==, 4);
  g_assert_false (takes_take_get_has_audio (take));
  g_assert_cmpint (takes_shot_get_transition (shot), ==, TAKES_TRANSITION_CROSSFADE);

  shot = takes_project_get_shot (project, 1);
  display = takes_shot_dup_display_title (shot);
  g_assert_cmpstr (display, ==, "Close-up of a gull landing on a mooring…");
  g_assert_cmpstr (takes_shot_get_aspect (shot), ==, "9:16");
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (shot)), ==, 3);
  take = takes_shot_find_take (shot, "t-333333333333");
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_RUNNING);
  take = takes_shot_find_take (shot, "t-444444444444");
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_UNKNOWN);

  shot = takes_project_get_shot (project, 2);
  g_assert_cmpfloat (takes_shot_get_duration (shot), ==, 8);
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (shot)), ==, 0);

  clip = g_list_model_get_item (takes_project_get_soundtrack (project), 0);
  g_assert_cmpfloat (takes_soundtrack_clip_get_volume (clip), ==, 0.8);
}

static JsonObject *
object_at (JsonNode   *root,
           const char *path)
{
  g_autoptr(JsonPath) json_path = json_path_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  JsonArray *array;

  json_path_compile (json_path, path, &error);
  g_assert_no_error (error);
  result = json_path_match (json_path, root);
  array = json_node_get_array (result);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);

  return json_object_ref (json_array_get_object_element (array, 0));
}

static void
test_unknown_fields_preserved (void)
{
  g_autofree char *path = fixture_path ("v1-film.takes");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(TakesProject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *data = NULL;
  g_autofree char *data_again = NULL;
  g_autoptr(JsonObject) top = NULL;
  g_autoptr(JsonObject) shot = NULL;
  g_autoptr(JsonObject) take = NULL;
  g_autoptr(JsonObject) clip = NULL;
  JsonNode *root;

  project = takes_project_load (file, NULL, &error);
  g_assert_no_error (error);

  /* An edit in between must not drop them either. */
  takes_shot_set_prompt (takes_project_get_shot (project, 0), "changed");
  data = takes_project_to_data (project, NULL);

  json_parser_load_from_data (parser, data, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);

  top = object_at (root, "$");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (top, "colour_grade"), "lut"),
                   ==, "teal-orange");
  shot = object_at (root, "$.shots[0]");
  g_assert_cmpstr (json_object_get_string_member (shot, "camera"), ==, "drone");
  g_assert_cmpstr (json_object_get_string_member (shot, "prompt"), ==, "changed");
  take = object_at (root, "$.shots[0].takes[0]");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (take, "probe"), "bitrate"), ==, 8000000);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (take, "cost"), "currency"), ==, "USD");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (take, "times"), "queued"), ==, 1767225610);
  clip = object_at (root, "$.soundtrack[0]");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (clip, "fade"), "out"), ==, 2);

  /* Stable through a second load and save. */
  again = takes_project_load_from_data (data, strlen (data), file, &error);
  g_assert_no_error (error);
  data_again = takes_project_to_data (again, NULL);
  g_assert_cmpstr (data, ==, data_again);
}

static void
test_missing_optional_fields (void)
{
  static const char data[] = HEAD ",\"shots\":[{}, {\"takes\":[{}]}],\"soundtrack\":[{\"media\":\"a.ogg\"}]}";
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GError) error = NULL;
  TakesShot *shot;

  project = takes_project_load_from_data (data, strlen (data), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (takes_project_get_title (project), ==, "");
  g_assert_cmpint (takes_project_get_width (project), ==, TAKES_PROJECT_DEFAULT_WIDTH);
  g_assert_cmpfloat (takes_project_get_fps (project), ==, TAKES_PROJECT_DEFAULT_FPS);
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 2);

  shot = takes_project_get_shot (project, 0);
  g_assert_cmpfloat (takes_shot_get_duration (shot), ==, TAKES_SHOT_DEFAULT_DURATION);
  g_assert_cmpstr (takes_shot_get_aspect (shot), ==, TAKES_SHOT_DEFAULT_ASPECT);
  g_assert_cmpint (takes_shot_get_seed (shot), ==, -1);
  g_assert_cmpint (takes_shot_get_fit (shot), ==, TAKES_SHOT_FIT_LETTERBOX);
  g_assert_true (g_str_has_prefix (takes_shot_get_id (shot), "s-"));
  g_assert_cmpstr (takes_shot_get_id (shot), !=, takes_shot_get_id (takes_project_get_shot (project, 1)));
}

typedef struct
{
  const char *name;
  const char *data;       /* NULL: built by the test */
  int         code;
  const char *field;      /* must appear in the message; NULL: only the file */
} Refusal;

static const Refusal refusals[] = {
  { "empty", "", TAKES_PROJECT_ERROR_INVALID, NULL },
  { "whitespace", "  \n ", TAKES_PROJECT_ERROR_INVALID, NULL },
  { "binary", "\x7f" "ELF\x02\x01\x01", TAKES_PROJECT_ERROR_INVALID, NULL },
  { "invalid-utf8", HEAD ",\"title\":\"\xc3\x28\"}", TAKES_PROJECT_ERROR_INVALID, NULL },
  { "truncated", HEAD ",\"shots\":[{\"id\":\"s-1\",\"prompt\":\"a gu", TAKES_PROJECT_ERROR_INVALID, NULL },
  { "not-json", "this is not a project", TAKES_PROJECT_ERROR_INVALID, NULL },
  { "top-level-array", "[1,2,3]", TAKES_PROJECT_ERROR_INVALID, NULL },
  { "top-level-string", "\"takes-project\"", TAKES_PROJECT_ERROR_INVALID, NULL },
  { "missing-format", "{\"version\":1}", TAKES_PROJECT_ERROR_INVALID, "format" },
  { "wrong-format", "{\"format\":\"kdenlive\",\"version\":1}", TAKES_PROJECT_ERROR_INVALID, "format" },
  { "format-type", "{\"format\":7,\"version\":1}", TAKES_PROJECT_ERROR_INVALID, "format" },
  { "missing-version", "{\"format\":\"takes-project\"}", TAKES_PROJECT_ERROR_INVALID, "version" },
  { "version-string", "{\"format\":\"takes-project\",\"version\":\"1\"}", TAKES_PROJECT_ERROR_INVALID, "version" },
  { "version-zero", "{\"format\":\"takes-project\",\"version\":0}", TAKES_PROJECT_ERROR_INVALID, "version" },
  { "version-fraction", "{\"format\":\"takes-project\",\"version\":1.5}", TAKES_PROJECT_ERROR_INVALID, "version" },
  { "title-type", HEAD ",\"title\":5}", TAKES_PROJECT_ERROR_INVALID, "title" },
  { "width-small", HEAD ",\"width\":8}", TAKES_PROJECT_ERROR_INVALID, "width" },
  { "width-large", HEAD ",\"width\":10000}", TAKES_PROJECT_ERROR_INVALID, "width" },
  { "width-odd", HEAD ",\"width\":1921}", TAKES_PROJECT_ERROR_INVALID, "width" },
  { "width-type", HEAD ",\"width\":\"1920\"}", TAKES_PROJECT_ERROR_INVALID, "width" },
  { "height-type", HEAD ",\"height\":null}", TAKES_PROJECT_ERROR_INVALID, "height" },
  { "fps-zero", HEAD ",\"fps\":0}", TAKES_PROJECT_ERROR_INVALID, "fps" },
  { "fps-large", HEAD ",\"fps\":1000}", TAKES_PROJECT_ERROR_INVALID, "fps" },
  { "budget-negative", HEAD ",\"budget\":-1}", TAKES_PROJECT_ERROR_INVALID, "budget" },
  { "budget-type", HEAD ",\"budget\":\"lots\"}", TAKES_PROJECT_ERROR_INVALID, "budget" },
  { "shots-type", HEAD ",\"shots\":{}}", TAKES_PROJECT_ERROR_INVALID, "shots" },
  { "shot-type", HEAD ",\"shots\":[{},3]}", TAKES_PROJECT_ERROR_INVALID, "shots[1]" },
  { "shot-duration-range", HEAD ",\"shots\":[{},{},{},{\"duration\":601}]}", TAKES_PROJECT_ERROR_INVALID,
    "shots[3].duration must be a number between 0 and 600 seconds" },
  { "shot-duration-zero", HEAD ",\"shots\":[{\"duration\":0}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].duration" },
  { "shot-duration-type", HEAD ",\"shots\":[{\"duration\":\"5\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].duration" },
  { "shot-aspect-form", HEAD ",\"shots\":[{\"aspect\":\"16x9\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].aspect" },
  { "shot-aspect-zero", HEAD ",\"shots\":[{\"aspect\":\"0:9\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].aspect" },
  { "shot-aspect-negative", HEAD ",\"shots\":[{\"aspect\":\"-16:9\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].aspect" },
  { "shot-aspect-extra", HEAD ",\"shots\":[{\"aspect\":\"16:9:1\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].aspect" },
  { "shot-seed-negative", HEAD ",\"shots\":[{\"seed\":-5}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].seed" },
  { "shot-seed-fraction", HEAD ",\"shots\":[{\"seed\":1.5}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].seed" },
  { "shot-id-empty", HEAD ",\"shots\":[{\"id\":\"\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].id" },
  { "shot-id-path", HEAD ",\"shots\":[{\"id\":\"../../etc\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].id" },
  { "shot-id-type", HEAD ",\"shots\":[{\"id\":12}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].id" },
  { "shot-id-duplicate", HEAD ",\"shots\":[{\"id\":\"s-1\"},{\"id\":\"s-1\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[1].id" },
  { "take-id-duplicate", HEAD ",\"shots\":[{\"takes\":[{\"id\":\"t-1\"}]},{\"takes\":[{\"id\":\"t-1\"}]}]}",
    TAKES_PROJECT_ERROR_INVALID, "shots[1].takes[0].id" },
  { "picked-missing", HEAD ",\"shots\":[{\"picked\":\"t-9\",\"takes\":[{\"id\":\"t-1\"}]}]}",
    TAKES_PROJECT_ERROR_INVALID, "shots[0].picked" },
  { "picked-type", HEAD ",\"shots\":[{\"picked\":1}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].picked" },
  { "image-absolute", HEAD ",\"shots\":[{\"image\":\"/home/ana/.ssh/id_rsa\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].image" },
  { "image-escapes", HEAD ",\"shots\":[{\"image\":\"F.media/../../secret.png\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].image" },
  { "params-type", HEAD ",\"shots\":[{\"params\":[]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].params" },
  { "params-member-type", HEAD ",\"shots\":[{\"params\":{\"kling\":5}}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].params.kling" },
  { "trim-negative", HEAD ",\"shots\":[{\"trim_in\":-1}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].trim_in" },
  { "transition-kind", HEAD ",\"shots\":[{\"transition\":{\"kind\":\"wipe\"}}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].transition.kind" },
  { "transition-type", HEAD ",\"shots\":[{\"transition\":\"cut\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].transition" },
  { "fit-unknown", HEAD ",\"shots\":[{\"fit\":\"stretch\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].fit" },
  { "fit-type", HEAD ",\"shots\":[{\"fit\":1}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].fit" },
  { "fit-null", HEAD ",\"shots\":[{\"fit\":null}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].fit" },
  { "notes-type", HEAD ",\"shots\":[{\"notes\":[\"a\"]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].notes" },
  { "takes-type", HEAD ",\"shots\":[{\"takes\":\"none\"}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes" },
  { "take-type", HEAD ",\"shots\":[{\"takes\":[null]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0]" },
  { "take-state", HEAD ",\"shots\":[{\"takes\":[{\"state\":\"exploded\"}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].state" },
  { "take-progress", HEAD ",\"shots\":[{\"takes\":[{\"progress\":1.5}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].progress" },
  { "take-rating-range", HEAD ",\"shots\":[{\"takes\":[{\"rating\":6}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].rating" },
  { "take-rating-fraction", HEAD ",\"shots\":[{\"takes\":[{\"rating\":2.5}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].rating" },
  { "take-media-absolute", HEAD ",\"shots\":[{\"takes\":[{\"media\":\"/etc/passwd\"}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].media" },
  { "take-media-escapes", HEAD ",\"shots\":[{\"takes\":[{\"media\":\"../../x.mp4\"}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].media" },
  { "take-thumbnail-home", HEAD ",\"shots\":[{\"takes\":[{\"thumbnail\":\"~/x.jpg\"}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].thumbnail" },
  { "take-request-type", HEAD ",\"shots\":[{\"takes\":[{\"request\":\"x\"}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].request" },
  { "take-backend-type", HEAD ",\"shots\":[{\"takes\":[{\"backend\":null}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].backend" },
  { "take-error-type", HEAD ",\"shots\":[{\"takes\":[{\"error\":false}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].error" },
  { "probe-type", HEAD ",\"shots\":[{\"takes\":[{\"probe\":\"x\"}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].probe" },
  { "probe-width-type", HEAD ",\"shots\":[{\"takes\":[{\"probe\":{\"width\":\"1920\"}}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].probe.width" },
  { "probe-audio-type", HEAD ",\"shots\":[{\"takes\":[{\"probe\":{\"audio\":\"yes\"}}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].probe.audio" },
  { "probe-duration-negative", HEAD ",\"shots\":[{\"takes\":[{\"probe\":{\"duration\":-1}}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].probe.duration" },
  { "cost-negative", HEAD ",\"shots\":[{\"takes\":[{\"cost\":{\"estimate\":-2}}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].cost.estimate" },
  { "times-type", HEAD ",\"shots\":[{\"takes\":[{\"times\":{\"created\":\"yesterday\"}}]}]}", TAKES_PROJECT_ERROR_INVALID, "shots[0].takes[0].times.created" },
  { "soundtrack-type", HEAD ",\"soundtrack\":{}}", TAKES_PROJECT_ERROR_INVALID, "soundtrack" },
  { "soundtrack-media-missing", HEAD ",\"soundtrack\":[{}]}", TAKES_PROJECT_ERROR_INVALID, "soundtrack[0].media" },
  { "soundtrack-media-absolute", HEAD ",\"soundtrack\":[{\"media\":\"/tmp/a.ogg\"}]}", TAKES_PROJECT_ERROR_INVALID, "soundtrack[0].media" },
  { "soundtrack-volume", HEAD ",\"soundtrack\":[{\"media\":\"a.ogg\",\"volume\":3}]}", TAKES_PROJECT_ERROR_INVALID, "soundtrack[0].volume" },
  { "soundtrack-id-duplicate", HEAD ",\"soundtrack\":[{\"id\":\"a-1\",\"media\":\"a.ogg\"},{\"id\":\"a-1\",\"media\":\"b.ogg\"}]}",
    TAKES_PROJECT_ERROR_INVALID, "soundtrack[1].id" },
  { "number-overflow", HEAD ",\"fps\":1e999}", TAKES_PROJECT_ERROR_INVALID, NULL },
  { "nul-byte", NULL, TAKES_PROJECT_ERROR_INVALID, NULL },
  { "huge-string", NULL, TAKES_PROJECT_ERROR_TOO_LARGE, "shots[0].prompt" },
  { "deep-nesting", NULL, TAKES_PROJECT_ERROR_TOO_LARGE, NULL },
  { "deep-nesting-objects", NULL, TAKES_PROJECT_ERROR_TOO_LARGE, NULL },
  { "nesting-65-in-unknown-field", NULL, TAKES_PROJECT_ERROR_TOO_LARGE, NULL },
};

static GBytes *
refusal_data (const Refusal *refusal)
{
  if (refusal->data != NULL)
    return g_bytes_new_static (refusal->data, strlen (refusal->data));

  if (g_str_equal (refusal->name, "nul-byte"))
    {
      static const char nul[] = HEAD ",\"title\":\"a\0b\"}";

      return g_bytes_new_static (nul, sizeof nul - 1);
    }

  if (g_str_equal (refusal->name, "huge-string"))
    {
      GString *s = g_string_new (HEAD ",\"shots\":[{\"prompt\":\"");

      for (guint i = 0; i < 2 * 1024 * 1024; i++)
        g_string_append_c (s, 'a' + (i % 26));
      g_string_append (s, "\"}]}");

      return g_string_free_to_bytes (s);
    }

  if (g_str_equal (refusal->name, "deep-nesting"))
    {
      GString *s = g_string_new (HEAD ",\"title\":");

      for (guint i = 0; i < 100000; i++)
        g_string_append_c (s, '[');
      for (guint i = 0; i < 100000; i++)
        g_string_append_c (s, ']');
      g_string_append_c (s, '}');

      return g_string_free_to_bytes (s);
    }

  if (g_str_equal (refusal->name, "deep-nesting-objects"))
    {
      /* Unbalanced, as a hostile file would be. */
      GString *s = g_string_new (NULL);

      for (guint i = 0; i < 100000; i++)
        g_string_append (s, "{\"a\":");

      return g_string_free_to_bytes (s);
    }

  if (g_str_equal (refusal->name, "nesting-65-in-unknown-field"))
    {
      GString *s = g_string_new (HEAD ",\"future\":");

      for (guint i = 0; i < 64; i++)
        g_string_append_c (s, '[');
      for (guint i = 0; i < 64; i++)
        g_string_append_c (s, ']');
      g_string_append_c (s, '}');

      return g_string_free_to_bytes (s);
    }

  g_assert_not_reached ();
}

static void
test_refusal (gconstpointer user_data)
{
  const Refusal *refusal = user_data;
  g_autoptr(GBytes) bytes = refusal_data (refusal);
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/film.takes");
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  project = takes_project_load_from_data (data != NULL ? data : "", length, file, &error);
  g_assert_null (project);
  g_assert_error (error, TAKES_PROJECT_ERROR, refusal->code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "“film.takes”"));
  if (refusal->field != NULL)
    g_assert_nonnull (strstr (error->message, refusal->field));
}

static void
test_refusal_from_disk (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "hostile.takes", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TakesProject) project = NULL;
  static const char data[] = HEAD ",\"shots\":[{\"duration\":-3}]}";

  g_assert_true (g_file_set_contents (path, data, -1, NULL));
  project = takes_project_load (file, NULL, &error);
  g_assert_null (project);
  g_assert_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "“hostile.takes”: shots[0].duration must be a number between 0 and 600 seconds");

  g_clear_error (&error);
  g_unlink (path);
  project = takes_project_load (file, NULL, &error);
  g_assert_null (project);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  remove_tree (dir);
}

static char *
read_file (const char *path,
           gsize      *length)
{
  char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);

  return contents;
}

static void
test_newer_version_refused (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "future.takes", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(TakesProject) other = takes_project_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *after_save = NULL;
  g_autofree char *backup = g_strconcat (path, ".bak", NULL);
  static const char data[] =
    "{\n  \"format\": \"takes-project\",\n  \"version\": 2,\n  \"title\": \"From the future\",\n"
    "  \"shots\": \"a shape this version cannot read\"\n}\n";
  gsize before_len, after_len;

  g_assert_true (g_file_set_contents (path, data, -1, NULL));
  before = read_file (path, &before_len);

  project = takes_project_load (file, NULL, &error);
  g_assert_null (project);
  g_assert_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "future.takes"));
  g_assert_nonnull (strstr (error->message, "was saved by a newer version of Takes"));

  after = read_file (path, &after_len);
  g_assert_cmpmem (before, before_len, after, after_len);

  /* Nor can another project be saved over it. */
  g_clear_error (&error);
  g_assert_false (takes_project_save (other, file, &error));
  g_assert_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_TOO_NEW);
  after_save = read_file (path, &after_len);
  g_assert_cmpmem (before, before_len, after_save, after_len);
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));

  remove_tree (dir);
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static void
test_backup_written (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "Film.takes", NULL);
  g_autofree char *backup = g_strconcat (path, ".bak", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *bak = NULL;
  GStatBuf st;

  takes_project_set_title (project, "First");
  g_assert_true (takes_project_save (project, file, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));
  first = read_file (path, NULL);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644 & ~(st.st_mode & 0) & 0644);

  takes_project_set_title (project, "Second");
  g_assert_true (takes_project_save (project, file, &error));
  second = read_file (path, NULL);
  bak = read_file (backup, NULL);
  g_assert_cmpstr (bak, ==, first);
  g_assert_nonnull (strstr (second, "Second"));
  g_clear_pointer (&bak, g_free);

  takes_project_set_title (project, "Third");
  g_assert_true (takes_project_save (project, file, &error));
  bak = read_file (backup, NULL);
  g_assert_cmpstr (bak, ==, second);

  /* One project, one backup, and no temporary files left behind. */
  g_assert_cmpuint (count_entries (dir), ==, 2);

  remove_tree (dir);
}

static void
touch_old (const char *path)
{
  struct utimbuf times = { .actime = 1000000000, .modtime = 1000000000 };

  g_assert_true (g_file_set_contents (path, "partial", -1, NULL));
  g_assert_cmpint (utime (path, &times), ==, 0);
}

static void
test_orphan_sweep (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autoptr(GFile) gdir = g_file_new_for_path (dir);
  const char *orphans[] = { "Film.takes.AbC123", "Film.takes.9ZyX8w", "Other Film.takes.q1W2e3" };
  const char *keep[] = { "Film.takes", "Film.takes.bak", "Film.takes.backup", "notes.txt", "Film.takesXAbC12" };
  g_autofree char *recent = g_build_filename (dir, "Film.takes.R3cEnt", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (orphans); i++)
    {
      g_autofree char *path = g_build_filename (dir, orphans[i], NULL);

      touch_old (path);
    }

  for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
    {
      g_autofree char *path = g_build_filename (dir, keep[i], NULL);

      touch_old (path);
    }

  /* Possibly another instance's save in progress: left alone. */
  g_assert_true (g_file_set_contents (recent, "partial", -1, NULL));

  g_assert_cmpuint (takes_project_sweep_orphans (gdir), ==, G_N_ELEMENTS (orphans));

  for (guint i = 0; i < G_N_ELEMENTS (orphans); i++)
    {
      g_autofree char *path = g_build_filename (dir, orphans[i], NULL);

      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
    {
      g_autofree char *path = g_build_filename (dir, keep[i], NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  g_assert_true (g_file_test (recent, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (takes_project_sweep_orphans (gdir), ==, 0);

  remove_tree (dir);
}

static void
test_deep_nesting_in_string_is_fine (void)
{
  GString *s = g_string_new (HEAD ",\"title\":\"");
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GError) error = NULL;

  /* Brackets inside strings (with escaped quotes among them) are text. */
  for (guint i = 0; i < 100000; i++)
    g_string_append (s, i % 1000 == 0 ? "\\\"[" : "[{");
  g_string_append (s, "\"}");

  project = takes_project_load_from_data (s->str, s->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (takes_project_get_title (project)), ==, 200000);

  g_string_free (s, TRUE);
}

static void
test_json_guard (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_true (takes_json_guard_check ("[[[]]]", 6, 3, 100, &error));
  g_assert_no_error (error);
  g_assert_false (takes_json_guard_check ("[[[[]]]]", 8, 3, 100, &error));
  g_assert_error (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* Closers do not make depth negative, so "]]][[[[" is still 4 deep. */
  g_assert_false (takes_json_guard_check ("]]][[[[", 7, 3, 100, &error));
  g_assert_error (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_TOO_DEEP);
  g_clear_error (&error);

  g_assert_true (takes_json_guard_check ("[\"\\\"[[[[[\"]", 11, 1, 100, &error));
  g_assert_no_error (error);

  g_assert_false (takes_json_guard_check ("[1,2,3]", 7, 64, 6, &error));
  g_assert_error (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_TOO_LARGE);
  g_clear_error (&error);

  node = takes_json_guard_parse ("{\"a\":[1]}", 9, 2, 100, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_clear_pointer (&node, json_node_unref);

  node = takes_json_guard_parse ("", 0, 2, 100, &error);
  g_assert_null (node);
  g_assert_error (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_INVALID);
  g_clear_error (&error);

  node = takes_json_guard_parse ("\"\xff\"", 3, 2, 100, &error);
  g_assert_null (node);
  g_assert_error (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_INVALID);
  g_clear_error (&error);

  node = takes_json_guard_parse ("{\"a\":", 5, 2, 100, &error);
  g_assert_null (node);
  g_assert_error (error, TAKES_JSON_GUARD_ERROR, TAKES_JSON_GUARD_ERROR_INVALID);
}

static void
test_file_too_large (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "huge.takes", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TakesProject) project = NULL;
  FILE *f;

  /* Sparse: 300 MiB of apparent size costs no disk. */
  f = g_fopen (path, "wb");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, 300 * 1024 * 1024, SEEK_SET), ==, 0);
  fputc ('}', f);
  fclose (f);

  project = takes_project_load (file, NULL, &error);
  g_assert_null (project);
  g_assert_error (error, TAKES_PROJECT_ERROR, TAKES_PROJECT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "huge.takes"));

  remove_tree (dir);
}

static void
test_mangled_fixture_never_crashes (void)
{
  g_autofree char *path = fixture_path ("v1-film.takes");
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  gsize length;
  guint refused = 0;

  contents = read_file (path, &length);

  /* Every truncation... */
  for (gsize cut = 0; cut < length; cut += 7)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TakesProject) project = takes_project_load_from_data (contents, cut, NULL, &error);

      g_assert_true ((project == NULL) != (error == NULL));
      if (project == NULL)
        refused++;
    }
  g_assert_cmpuint (refused, >, 0);

  /* ...and random damage: an error or a project, never a crash. */
  for (guint round = 0; round < 2000; round++)
    {
      g_autofree char *copy = g_memdup2 (contents, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(TakesProject) project = NULL;
      guint flips = g_rand_int_range (rand, 1, 8);

      for (guint i = 0; i < flips; i++)
        copy[g_rand_int_range (rand, 0, (gint32) length)] = (char) g_rand_int_range (rand, 0, 256);

      project = takes_project_load_from_data (copy, length, NULL, &error);
      g_assert_true ((project == NULL) != (error == NULL));
      if (project != NULL)
        {
          /* Whatever loads must save into something that loads again. */
          g_autofree char *data = takes_project_to_data (project, &length);
          g_autoptr(TakesProject) again = takes_project_load_from_data (data, strlen (data), NULL, &error);

          g_assert_no_error (error);
          g_assert_nonnull (again);
          length = strlen (contents);
        }
    }
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TakesProject **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = takes_project_load_finish (result, &error);
  g_assert_no_error (error);
}

static void
on_load_failed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **out = user_data;

  g_assert_null (takes_project_load_finish (result, out));
}

static void
test_load_async (void)
{
  g_autofree char *path = fixture_path ("v1-film.takes");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/film.takes");
  TakesProject *project = NULL;
  GError *error = NULL;

  takes_project_load_async (file, NULL, on_loaded, &project);
  while (project == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 3);
  g_assert_false (takes_project_get_modified (project));
  g_object_unref (project);

  takes_project_load_async (missing, NULL, on_load_failed, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_save_unloadable_values_are_dropped (void)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesTake) take = takes_take_new ("k", "m");
  g_autoptr(TakesTake) twin = takes_take_new ("k", "m");
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(TakesProject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  JsonObject *inner = request;

  /* A request nested deeper than the loader accepts... */
  for (guint i = 0; i < 100; i++)
    {
      JsonObject *child = json_object_new ();

      json_object_set_object_member (inner, "x", child);
      inner = child;
    }
  takes_take_set_request (take, request);

  /* ...a clip whose file is outside the folder (not yet imported)... */
  {
    g_autoptr(TakesSoundtrackClip) clip = takes_soundtrack_clip_new ("/music/score.ogg");

    takes_project_add_soundtrack_clip (project, clip);
  }

  /* ...a dangling pick and a duplicate id must not make the file unloadable. */
  takes_take_set_id (twin, takes_take_get_id (take));
  takes_shot_add_take (shot, take);
  takes_shot_add_take (shot, twin);
  takes_shot_set_picked_take_id (shot, "t-gone");
  takes_project_append_shot (project, shot);

  data = takes_project_to_data (project, NULL);
  loaded = takes_project_load_from_data (data, strlen (data), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
}

static void
test_save_imports_outside_files (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *outside_dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "Film.takes", NULL);
  g_autofree char *image = g_build_filename (outside_dir, "harbour.png", NULL);
  g_autofree char *music = g_build_filename (outside_dir, "score.ogg", NULL);
  g_autofree char *inside = g_build_filename (dir, "boards", "gull.png", NULL);
  g_autofree char *boards = g_build_filename (dir, "boards", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesProject) loaded = NULL;
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesShot) second = takes_shot_new ();
  g_autoptr(TakesSoundtrackClip) clip = takes_soundtrack_clip_new (music);
  g_autoptr(TakesSoundtrackClip) loaded_clip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_image = NULL;
  g_autoptr(GFile) copied = NULL;
  g_autofree char *copied_contents = NULL;

  g_assert_true (g_file_set_contents (image, "PNG", -1, NULL));
  g_assert_true (g_file_set_contents (music, "OGG", -1, NULL));
  g_assert_cmpint (g_mkdir (boards, 0755), ==, 0);
  g_assert_true (g_file_set_contents (inside, "PNG2", -1, NULL));

  /* Picked before the project had a home: absolute paths. */
  takes_shot_set_reference_image (shot, image);
  takes_shot_set_reference_image (second, inside);
  takes_project_append_shot (project, shot);
  takes_project_append_shot (project, second);
  takes_project_add_soundtrack_clip (project, clip);

  g_assert_true (takes_project_save (project, file, &error));
  g_assert_no_error (error);

  expected_image = g_strdup_printf ("Film.media/ref-%s-harbour.png", takes_shot_get_id (shot));
  g_assert_cmpstr (takes_shot_get_reference_image (shot), ==, expected_image);
  g_assert_cmpstr (takes_shot_get_reference_image (second), ==, "boards/gull.png");
  g_assert_true (g_str_has_prefix (takes_soundtrack_clip_get_media (clip), "Film.media/audio-"));
  g_assert_false (takes_project_get_modified (project));

  copied = takes_project_resolve (project, expected_image);
  g_assert_true (g_file_get_contents (g_file_peek_path (copied), &copied_contents, NULL, NULL));
  g_assert_cmpstr (copied_contents, ==, "PNG");

  loaded = takes_project_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (takes_shot_get_reference_image (takes_project_get_shot (loaded, 0)), ==, expected_image);
  loaded_clip = g_list_model_get_item (takes_project_get_soundtrack (loaded), 0);
  g_assert_cmpstr (takes_soundtrack_clip_get_media (loaded_clip), ==, takes_soundtrack_clip_get_media (clip));

  remove_tree (dir);
  remove_tree (outside_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Takes/Project/round-trip", test_round_trip);
  g_test_add_func ("/Takes/Project/fixture-v1-loads", test_fixture_v1);
  g_test_add_func ("/Takes/Project/unknown-fields-preserved", test_unknown_fields_preserved);
  g_test_add_func ("/Takes/Project/missing-optional-fields", test_missing_optional_fields);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *name = g_strdup_printf ("/Takes/Project/load-refuses/%s", refusals[i].name);

      g_test_add_data_func (name, &refusals[i], test_refusal);
    }
  g_test_add_func ("/Takes/Project/load-refuses-from-disk", test_refusal_from_disk);
  g_test_add_func ("/Takes/Project/load-refuses-newer-version", test_newer_version_refused);
  g_test_add_func ("/Takes/Project/load-refuses-file-too-large", test_file_too_large);
  g_test_add_func ("/Takes/Project/nesting-inside-strings-is-text", test_deep_nesting_in_string_is_fine);
  g_test_add_func ("/Takes/Project/mangled-fixture-never-crashes", test_mangled_fixture_never_crashes);
  g_test_add_func ("/Takes/Project/save-keeps-backup", test_backup_written);
  g_test_add_func ("/Takes/Project/save-output-always-loads", test_save_unloadable_values_are_dropped);
  g_test_add_func ("/Takes/Project/save-imports-outside-files", test_save_imports_outside_files);
  g_test_add_func ("/Takes/Project/orphan-sweep", test_orphan_sweep);
  g_test_add_func ("/Takes/Project/load-async", test_load_async);
  g_test_add_func ("/Takes/JsonGuard/depth-and-size", test_json_guard);

  return g_test_run ();
}
