/* test-model.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "takes-project.h"

static gboolean
id_has_form (const char *id,
             char        prefix)
{
  if (id == NULL || strlen (id) != 14 || id[0] != prefix || id[1] != '-')
    return FALSE;

  for (guint i = 2; i < 14; i++)
    {
      if (!g_ascii_isxdigit (id[i]))
        return FALSE;
    }

  return TRUE;
}

static void
test_ids (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(TakesShot) shot = takes_shot_new ();
      g_autoptr(TakesTake) take = takes_take_new ("kling", "v2");
      g_autoptr(TakesSoundtrackClip) clip = takes_soundtrack_clip_new ("a.ogg");

      g_assert_true (id_has_form (takes_shot_get_id (shot), 's'));
      g_assert_true (id_has_form (takes_take_get_id (take), 't'));
      g_assert_true (id_has_form (takes_soundtrack_clip_get_id (clip), 'a'));

      g_assert_true (g_hash_table_add (seen, g_strdup (takes_shot_get_id (shot))));
      g_assert_true (g_hash_table_add (seen, g_strdup (takes_take_get_id (take))));
      g_assert_true (g_hash_table_add (seen, g_strdup (takes_soundtrack_clip_get_id (clip))));
    }
}

static void
test_defaults (void)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesTake) take = takes_take_new ("kling", "kling-v2");
  g_autoptr(TakesSoundtrackClip) clip = takes_soundtrack_clip_new ("x.media/a.ogg");

  g_assert_cmpint (takes_project_get_width (project), ==, 1920);
  g_assert_cmpint (takes_project_get_height (project), ==, 1080);
  g_assert_cmpfloat (takes_project_get_fps (project), ==, 24.0);
  g_assert_cmpfloat (takes_project_get_budget (project), ==, 0.0);
  g_assert_false (takes_project_get_modified (project));
  g_assert_null (takes_project_get_file (project));
  g_assert_null (takes_project_get_base_dir (project));
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 0);

  g_assert_cmpfloat (takes_shot_get_duration (shot), ==, 5.0);
  g_assert_cmpstr (takes_shot_get_aspect (shot), ==, "16:9");
  g_assert_cmpint (takes_shot_get_seed (shot), ==, -1);
  g_assert_cmpstr (takes_shot_get_title (shot), ==, "");
  g_assert_cmpstr (takes_shot_get_prompt (shot), ==, "");
  g_assert_null (takes_shot_get_reference_image (shot));
  g_assert_null (takes_shot_get_picked_take_id (shot));
  g_assert_nonnull (takes_shot_get_backend_params (shot));
  g_assert_cmpint (takes_shot_get_transition (shot), ==, TAKES_TRANSITION_CUT);

  g_assert_cmpstr (takes_take_get_backend (take), ==, "kling");
  g_assert_cmpstr (takes_take_get_model (take), ==, "kling-v2");
  g_assert_cmpint (takes_take_get_state (take), ==, TAKES_TAKE_DRAFT);
  g_assert_cmpfloat (takes_take_get_cost_estimate (take), <, 0);
  g_assert_cmpfloat (takes_take_get_cost_actual (take), <, 0);
  g_assert_null (takes_take_get_media (take));

  g_assert_cmpstr (takes_soundtrack_clip_get_media (clip), ==, "x.media/a.ogg");
  g_assert_cmpfloat (takes_soundtrack_clip_get_volume (clip), ==, 1.0);
}

static void
test_enums (void)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (TAKES_TYPE_TAKE_STATE);
  g_autoptr(GEnumClass) transitions = g_type_class_ref (TAKES_TYPE_TRANSITION);
  TakesTakeState state;

  g_assert_true (G_TYPE_IS_ENUM (TAKES_TYPE_TAKE_STATE));
  g_assert_cmpuint (states->n_values, ==, 9);
  g_assert_cmpstr (g_enum_get_value (states, TAKES_TAKE_DOWNLOADING)->value_nick, ==, "downloading");
  g_assert_cmpstr (g_enum_get_value (transitions, TAKES_TRANSITION_CROSSFADE)->value_nick, ==, "crossfade");

  for (int i = TAKES_TAKE_DRAFT; i <= TAKES_TAKE_UNKNOWN; i++)
    {
      const char *str = takes_take_state_to_string (i);

      g_assert_true (takes_take_state_from_string (str, &state));
      g_assert_cmpint (state, ==, i);
      g_assert_cmpstr (g_enum_get_value (states, i)->value_nick, ==, str);
      g_assert_nonnull (takes_take_state_get_label (i));
    }

  g_assert_false (takes_take_state_from_string ("Ready", &state));
  g_assert_false (takes_take_state_from_string ("", &state));
  g_assert_false (takes_take_state_from_string (NULL, &state));

  g_assert_false (takes_take_state_is_in_flight (TAKES_TAKE_DRAFT));
  g_assert_true (takes_take_state_is_in_flight (TAKES_TAKE_SUBMITTING));
  g_assert_true (takes_take_state_is_in_flight (TAKES_TAKE_DOWNLOADING));
  g_assert_false (takes_take_state_is_in_flight (TAKES_TAKE_READY));
  g_assert_false (takes_take_state_is_in_flight (TAKES_TAKE_UNKNOWN));
}

static void
test_display_title (void)
{
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autofree char *untitled = NULL;
  g_autofree char *from_prompt = NULL;
  g_autofree char *long_prompt = NULL;
  g_autofree char *titled = NULL;

  untitled = takes_shot_dup_display_title (shot);
  g_assert_cmpstr (untitled, ==, "Untitled Shot");

  takes_shot_set_prompt (shot, "  A gull lands\nand looks at the camera");
  from_prompt = takes_shot_dup_display_title (shot);
  g_assert_cmpstr (from_prompt, ==, "A gull lands");

  takes_shot_set_prompt (shot, "Wide shot of a fishing harbour at dawn with mist over the water and gulls");
  long_prompt = takes_shot_dup_display_title (shot);
  g_assert_true (g_str_has_suffix (long_prompt, "…"));
  g_assert_cmpint (g_utf8_strlen (long_prompt, -1), <=, 40);
  g_assert_true (g_str_has_prefix (long_prompt, "Wide shot of a fishing harbour"));

  takes_shot_set_title (shot, "Opening");
  titled = takes_shot_dup_display_title (shot);
  g_assert_cmpstr (titled, ==, "Opening");
}

typedef struct
{
  guint changed;
  guint notified;
} Counter;

static void
count_changed (gpointer  object,
               Counter  *counter)
{
  counter->changed++;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              Counter    *counter)
{
  counter->notified++;
}

static void
test_properties_notify (void)
{
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesTake) take = takes_take_new (NULL, NULL);
  Counter counter = { 0 };
  g_autofree char *prompt = NULL;

  g_signal_connect (shot, "notify", G_CALLBACK (count_notify), &counter);
  takes_shot_set_prompt (shot, "rain");
  g_assert_cmpuint (counter.notified, ==, 1);
  takes_shot_set_prompt (shot, "rain");
  g_assert_cmpuint (counter.notified, ==, 1);
  g_object_set (shot, "duration", 7.5, "aspect", "4:3", NULL);
  g_assert_cmpuint (counter.notified, ==, 3);
  g_assert_cmpfloat (takes_shot_get_duration (shot), ==, 7.5);
  g_object_get (shot, "prompt", &prompt, NULL);
  g_assert_cmpstr (prompt, ==, "rain");

  counter.notified = 0;
  g_signal_connect (take, "notify", G_CALLBACK (count_notify), &counter);
  takes_take_set_probe (take, 5.0, 1280, 720, 24.0, "H.264", "AAC", TRUE);
  g_assert_cmpuint (counter.notified, ==, 7);
  takes_take_set_probe (take, 5.0, 1280, 720, 24.0, "H.264", "AAC", TRUE);
  g_assert_cmpuint (counter.notified, ==, 7);
  takes_take_set_progress (take, 1.5);
  g_assert_cmpfloat (takes_take_get_progress (take), ==, 1.0);
  takes_take_set_cost_estimate (take, -3);
  g_assert_cmpfloat (takes_take_get_cost_estimate (take), ==, -1.0);
}

static void
test_changed_everywhere (void)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesTake) take = takes_take_new ("kling", "v2");
  g_autoptr(TakesSoundtrackClip) clip = takes_soundtrack_clip_new ("f.media/a.ogg");
  Counter counter = { 0 };
  guint before;

  g_signal_connect (project, "changed", G_CALLBACK (count_changed), &counter);

  takes_project_set_title (project, "Film");
  g_assert_cmpuint (counter.changed, >, 0);
  g_assert_true (takes_project_get_modified (project));

#define EXPECT_CHANGE(stmt) G_STMT_START {                        \
    takes_project_set_modified (project, FALSE);                  \
    before = counter.changed;                                     \
    stmt;                                                         \
    g_assert_cmpuint (counter.changed, >, before);                \
    g_assert_true (takes_project_get_modified (project));         \
  } G_STMT_END

  EXPECT_CHANGE (takes_project_set_size (project, 1280, 720));
  EXPECT_CHANGE (takes_project_set_fps (project, 30));
  EXPECT_CHANGE (takes_project_set_budget (project, 10));
  EXPECT_CHANGE (takes_project_append_shot (project, shot));
  EXPECT_CHANGE (takes_shot_set_prompt (shot, "gull"));
  EXPECT_CHANGE (takes_shot_add_take (shot, take));
  EXPECT_CHANGE (takes_take_set_state (take, TAKES_TAKE_RUNNING));
  EXPECT_CHANGE (takes_take_set_rating (take, 3));
  EXPECT_CHANGE (takes_shot_set_picked_take_id (shot, takes_take_get_id (take)));
  EXPECT_CHANGE (takes_project_add_soundtrack_clip (project, clip));
  EXPECT_CHANGE (takes_soundtrack_clip_set_volume (clip, 0.5));
  EXPECT_CHANGE (takes_shot_remove_take (shot, take));
  /* The pick went with the take; a file naming it would be refused. */
  g_assert_null (takes_shot_get_picked_take_id (shot));

  /* Removed objects are no longer watched. */
  takes_project_set_modified (project, FALSE);
  before = counter.changed;
  takes_take_set_rating (take, 5);
  g_assert_cmpuint (counter.changed, ==, before);
  g_assert_false (takes_project_get_modified (project));

  EXPECT_CHANGE (takes_project_remove_shot (project, 0));
  takes_project_set_modified (project, FALSE);
  before = counter.changed;
  takes_shot_set_prompt (shot, "not in the project any more");
  g_assert_cmpuint (counter.changed, ==, before);

  EXPECT_CHANGE (takes_project_remove_soundtrack_clip (project, clip));
  takes_project_set_modified (project, FALSE);
  before = counter.changed;
  takes_soundtrack_clip_set_start (clip, 4);
  g_assert_cmpuint (counter.changed, ==, before);

  /* Neither saving nor a new location is an edit. */
  takes_project_set_modified (project, FALSE);
  before = counter.changed;
  {
    g_autoptr(GFile) file = g_file_new_for_path ("/tmp/film.takes");

    takes_project_set_file (project, file);
  }
  g_assert_cmpuint (counter.changed, ==, before);
  g_assert_false (takes_project_get_modified (project));

#undef EXPECT_CHANGE
}

static void
test_no_dangling_handlers (void)
{
  TakesProject *project = takes_project_new ();
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesTake) take = takes_take_new ("kling", "v2");
  g_autoptr(TakesSoundtrackClip) clip = takes_soundtrack_clip_new ("f.media/a.ogg");

  takes_shot_add_take (shot, take);
  takes_project_append_shot (project, shot);
  takes_project_add_soundtrack_clip (project, clip);

  /* Objects that outlive the project (as undo keeps them) must not call
   * into a freed one. */
  g_object_add_weak_pointer (G_OBJECT (project), (gpointer *) &project);
  g_object_unref (project);
  g_assert_null (project);

  takes_shot_set_prompt (shot, "still fine");
  takes_take_set_rating (take, 2);
  takes_soundtrack_clip_set_volume (clip, 0.3);

  g_assert_false (g_signal_has_handler_pending (shot, g_signal_lookup ("changed", TAKES_TYPE_SHOT), 0, FALSE));
}

static void
test_shot_list_operations (void)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  TakesShot *shots[4];
  guint position;

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      shots[i] = takes_shot_new ();
      takes_project_append_shot (project, shots[i]);
    }

  takes_project_move_shot (project, 0, 3);
  g_assert_true (takes_project_get_shot (project, 3) == shots[0]);
  g_assert_true (takes_project_get_shot (project, 0) == shots[1]);
  g_assert_true (takes_project_find_shot_position (project, shots[0], &position));
  g_assert_cmpuint (position, ==, 3);
  g_assert_true (takes_project_find_shot (project, takes_shot_get_id (shots[2])) == shots[2]);
  g_assert_null (takes_project_find_shot (project, "s-nothere"));
  g_assert_null (takes_project_get_shot (project, 10));

  takes_project_remove_shot (project, 1);
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 3);
  g_assert_false (takes_project_find_shot_position (project, shots[2], NULL));

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    g_object_unref (shots[i]);
}

static void
test_duplicate (void)
{
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesShot) copy = NULL;
  g_autoptr(TakesTake) take = takes_take_new ("kling", "v2");
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) kling = json_object_new ();

  json_object_set_string_member (kling, "mode", "pro");
  json_object_set_object_member (params, "kling", json_object_ref (kling));

  takes_shot_set_title (shot, "Gull");
  takes_shot_set_prompt (shot, "A gull");
  takes_shot_set_negative_prompt (shot, "blur");
  takes_shot_set_duration (shot, 3);
  takes_shot_set_aspect (shot, "1:1");
  takes_shot_set_seed (shot, 99);
  takes_shot_set_reference_image (shot, "F.media/ref.png");
  takes_shot_set_notes (shot, "n");
  takes_shot_set_backend_params (shot, params);
  takes_shot_add_take (shot, take);
  takes_shot_set_picked_take_id (shot, takes_take_get_id (take));

  copy = takes_shot_duplicate (shot);
  g_assert_cmpstr (takes_shot_get_id (copy), !=, takes_shot_get_id (shot));
  g_assert_cmpstr (takes_shot_get_title (copy), ==, "Gull");
  g_assert_cmpstr (takes_shot_get_prompt (copy), ==, "A gull");
  g_assert_cmpstr (takes_shot_get_negative_prompt (copy), ==, "blur");
  g_assert_cmpfloat (takes_shot_get_duration (copy), ==, 3);
  g_assert_cmpstr (takes_shot_get_aspect (copy), ==, "1:1");
  g_assert_cmpint (takes_shot_get_seed (copy), ==, 99);
  g_assert_cmpstr (takes_shot_get_reference_image (copy), ==, "F.media/ref.png");
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (copy)), ==, 0);
  g_assert_null (takes_shot_get_picked_take_id (copy));

  /* Deep: editing the copy's parameters leaves the original alone. */
  g_assert_true (takes_shot_get_backend_params (copy) != params);
  json_object_set_string_member (json_object_get_object_member (takes_shot_get_backend_params (copy), "kling"),
                                 "mode", "std");
  g_assert_cmpstr (json_object_get_string_member (kling, "mode"), ==, "pro");
}

static void
test_picked_take (void)
{
  g_autoptr(TakesShot) shot = takes_shot_new ();
  g_autoptr(TakesTake) a = takes_take_new ("kling", "v2");
  g_autoptr(TakesTake) b = takes_take_new ("sora", "sora-2");

  takes_shot_add_take (shot, a);
  takes_shot_add_take (shot, b);
  g_assert_null (takes_shot_get_picked_take (shot));

  takes_shot_set_picked_take_id (shot, takes_take_get_id (b));
  g_assert_true (takes_shot_get_picked_take (shot) == b);
  g_assert_true (takes_shot_find_take (shot, takes_take_get_id (a)) == a);

  takes_shot_remove_take (shot, a);
  g_assert_true (takes_shot_get_picked_take (shot) == b);
  takes_shot_remove_take (shot, b);
  g_assert_null (takes_shot_get_picked_take (shot));
  g_assert_null (takes_shot_get_picked_take_id (shot));
}

static void
test_paths (void)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(GFile) file = g_file_new_for_path ("/home/ana/Films/Harbour.takes");
  g_autoptr(GFile) media_dir = NULL;
  g_autoptr(GFile) resolved = NULL;
  g_autoptr(GFile) inside = g_file_new_for_path ("/home/ana/Films/Harbour.media/t-1.mp4");
  g_autoptr(GFile) outside = g_file_new_for_path ("/etc/passwd");
  g_autofree char *relative = NULL;
  g_autofree char *not_relative = NULL;

  g_assert_null (takes_project_get_media_dir (project));

  takes_project_set_file (project, file);
  media_dir = takes_project_get_media_dir (project);
  g_assert_cmpstr (g_file_peek_path (media_dir), ==, "/home/ana/Films/Harbour.media");

  resolved = takes_project_resolve (project, "Harbour.media/t-1.mp4");
  g_assert_true (g_file_equal (resolved, inside));
  g_assert_null (takes_project_resolve (project, NULL));

  relative = takes_project_relativize (project, inside);
  g_assert_cmpstr (relative, ==, "Harbour.media/t-1.mp4");
  not_relative = takes_project_relativize (project, outside);
  g_assert_null (not_relative);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Takes/Model/ids", test_ids);
  g_test_add_func ("/Takes/Model/defaults", test_defaults);
  g_test_add_func ("/Takes/Model/enums", test_enums);
  g_test_add_func ("/Takes/Model/display-title", test_display_title);
  g_test_add_func ("/Takes/Model/properties-notify", test_properties_notify);
  g_test_add_func ("/Takes/Model/changed-everywhere", test_changed_everywhere);
  g_test_add_func ("/Takes/Model/no-dangling-handlers", test_no_dangling_handlers);
  g_test_add_func ("/Takes/Model/shot-list-operations", test_shot_list_operations);
  g_test_add_func ("/Takes/Model/duplicate", test_duplicate);
  g_test_add_func ("/Takes/Model/picked-take", test_picked_take);
  g_test_add_func ("/Takes/Model/paths", test_paths);

  return g_test_run ();
}
