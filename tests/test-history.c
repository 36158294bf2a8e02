/* test-history.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "takes-history.h"

static TakesProject *
project_with_shots (guint n)
{
  TakesProject *project = takes_project_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TakesShot) shot = takes_shot_new ();
      g_autofree char *title = g_strdup_printf ("Shot %u", i);

      takes_shot_set_title (shot, title);
      takes_project_append_shot (project, shot);
    }

  takes_project_set_modified (project, FALSE);

  return project;
}

static void
test_set_undo_redo (void)
{
  g_autoptr(TakesProject) project = project_with_shots (1);
  g_autoptr(TakesHistory) history = takes_history_new (project);
  TakesShot *shot = takes_project_get_shot (project, 0);

  g_assert_true (takes_history_get_project (history) == project);
  g_assert_false (takes_history_can_undo (history));
  g_assert_false (takes_history_can_redo (history));
  g_assert_null (takes_history_get_undo_label (history));
  g_assert_false (takes_history_undo (history));

  takes_history_set_string (history, shot, "prompt", "A gull lands");
  g_assert_cmpstr (takes_shot_get_prompt (shot), ==, "A gull lands");
  g_assert_true (takes_project_get_modified (project));
  g_assert_true (takes_history_can_undo (history));
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Edit Prompt");

  takes_history_set_double (history, shot, "duration", 7.5);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Change Duration");
  takes_history_set_int64 (history, shot, "seed", 42);
  g_assert_cmpint (takes_shot_get_seed (shot), ==, 42);

  g_assert_true (takes_history_undo (history));
  g_assert_cmpint (takes_shot_get_seed (shot), ==, -1);
  g_assert_true (takes_history_undo (history));
  g_assert_cmpfloat (takes_shot_get_duration (shot), ==, 5.0);
  g_assert_true (takes_history_can_redo (history));
  g_assert_cmpstr (takes_history_get_redo_label (history), ==, "Change Duration");
  g_assert_true (takes_history_undo (history));
  g_assert_cmpstr (takes_shot_get_prompt (shot), ==, "");
  g_assert_false (takes_history_can_undo (history));
  g_assert_false (takes_history_undo (history));

  g_assert_true (takes_history_redo (history));
  g_assert_cmpstr (takes_shot_get_prompt (shot), ==, "A gull lands");
  g_assert_true (takes_history_redo (history));
  g_assert_cmpfloat (takes_shot_get_duration (shot), ==, 7.5);

  /* A new edit drops what could have been redone. */
  takes_history_set_string (history, shot, "title", "Gull");
  g_assert_false (takes_history_can_redo (history));
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Edit Title");
  g_assert_false (takes_history_redo (history));

  /* Setting the current value records nothing. */
  takes_history_undo (history);
  takes_history_redo (history);
  takes_history_set_string (history, shot, "title", "Gull");
  g_assert_true (takes_history_undo (history));
  g_assert_cmpstr (takes_shot_get_title (shot), ==, "Shot 0");
}

static void
test_coalescing (void)
{
  g_autoptr(TakesProject) project = project_with_shots (2);
  g_autoptr(TakesHistory) history = takes_history_new (project);
  TakesShot *first = takes_project_get_shot (project, 0);
  TakesShot *second = takes_project_get_shot (project, 1);
  const char *typed[] = { "A", "A g", "A gu", "A gul", "A gull" };

  /* Typing a prompt is one step... */
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    takes_history_set_string (history, first, "prompt", typed[i]);

  g_assert_true (takes_history_undo (history));
  g_assert_cmpstr (takes_shot_get_prompt (first), ==, "");
  g_assert_false (takes_history_can_undo (history));
  g_assert_true (takes_history_redo (history));
  g_assert_cmpstr (takes_shot_get_prompt (first), ==, "A gull");

  /* ...but not after undo/redo, nor across properties or objects... */
  takes_history_set_string (history, first, "prompt", "A gull lands");
  takes_history_set_string (history, first, "title", "Gull");
  takes_history_set_string (history, second, "title", "Harbour");
  takes_history_set_string (history, second, "title", "Harbour at dawn");

  g_assert_true (takes_history_undo (history));
  g_assert_cmpstr (takes_shot_get_title (second), ==, "Shot 1");
  g_assert_true (takes_history_undo (history));
  g_assert_cmpstr (takes_shot_get_title (first), ==, "Shot 0");
  g_assert_true (takes_history_undo (history));
  g_assert_cmpstr (takes_shot_get_prompt (first), ==, "A gull");

  /* ...nor across an explicit break. */
  takes_history_set_string (history, first, "notes", "one");
  takes_history_break_coalescing (history);
  takes_history_set_string (history, first, "notes", "two");
  g_assert_true (takes_history_undo (history));
  g_assert_cmpstr (takes_shot_get_notes (first), ==, "one");
}

static void
test_groups (void)
{
  g_autoptr(TakesProject) project = project_with_shots (1);
  g_autoptr(TakesHistory) history = takes_history_new (project);
  g_autoptr(TakesShot) copy = NULL;
  TakesShot *shot = takes_project_get_shot (project, 0);

  takes_history_begin (history, "Duplicate Shot");
  copy = takes_shot_duplicate (shot);
  takes_history_insert_shot (history, 1, copy);
  takes_history_begin (history, "Inner");
  takes_history_set_string (history, copy, "title", "Copy");
  takes_history_end (history);
  takes_history_set_double (history, copy, "duration", 2);
  g_assert_false (takes_history_can_undo (history));
  takes_history_end (history);

  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Duplicate Shot");
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 2);

  g_assert_true (takes_history_undo (history));
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 1);
  g_assert_cmpstr (takes_shot_get_title (copy), ==, "Shot 0");
  g_assert_false (takes_history_can_undo (history));

  g_assert_true (takes_history_redo (history));
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 2);
  g_assert_true (takes_project_get_shot (project, 1) == copy);
  g_assert_cmpstr (takes_shot_get_title (copy), ==, "Copy");
  g_assert_cmpfloat (takes_shot_get_duration (copy), ==, 2);

  /* An empty group leaves no step. */
  takes_history_begin (history, "Nothing");
  takes_history_end (history);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Duplicate Shot");
}

static void
test_shot_list_edits (void)
{
  g_autoptr(TakesProject) project = project_with_shots (3);
  g_autoptr(TakesHistory) history = takes_history_new (project);
  g_autoptr(TakesShot) added = takes_shot_new ();
  TakesShot *s0 = takes_project_get_shot (project, 0);
  TakesShot *s1 = takes_project_get_shot (project, 1);
  TakesShot *s2 = takes_project_get_shot (project, 2);
  g_autoptr(TakesShot) removed = g_object_ref (s1);

  takes_history_insert_shot (history, 1, added);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Add Shot");
  g_assert_true (takes_project_get_shot (project, 1) == added);
  takes_history_undo (history);
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 3);
  g_assert_true (takes_project_get_shot (project, 1) == s1);
  takes_history_redo (history);
  g_assert_true (takes_project_get_shot (project, 1) == added);
  takes_history_undo (history);

  /* Undo of a delete brings back the same object at the same place. */
  takes_history_remove_shot (history, 1);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Delete Shot");
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 2);
  takes_history_undo (history);
  g_assert_cmpuint (takes_project_get_n_shots (project), ==, 3);
  g_assert_true (takes_project_get_shot (project, 1) == removed);

  /* And edits of it after the restore still reach the project. */
  takes_project_set_modified (project, FALSE);
  takes_shot_set_prompt (removed, "back");
  g_assert_true (takes_project_get_modified (project));

  takes_history_move_shot (history, 0, 2);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Move Shot");
  g_assert_true (takes_project_get_shot (project, 0) == s1);
  g_assert_true (takes_project_get_shot (project, 1) == s2);
  g_assert_true (takes_project_get_shot (project, 2) == s0);
  takes_history_undo (history);
  g_assert_true (takes_project_get_shot (project, 0) == s0);
  g_assert_true (takes_project_get_shot (project, 1) == s1);
  g_assert_true (takes_project_get_shot (project, 2) == s2);

  /* A move past the end is recorded where it really went. */
  takes_history_move_shot (history, 0, 99);
  g_assert_true (takes_project_get_shot (project, 2) == s0);
  takes_history_undo (history);
  g_assert_true (takes_project_get_shot (project, 0) == s0);
}

static void
test_remove_take (void)
{
  g_autoptr(TakesProject) project = project_with_shots (1);
  g_autoptr(TakesHistory) history = takes_history_new (project);
  TakesShot *shot = takes_project_get_shot (project, 0);
  g_autoptr(TakesTake) a = takes_take_new ("kling", "v2");
  g_autoptr(TakesTake) b = takes_take_new ("sora", "sora-2");
  g_autoptr(TakesTake) c = takes_take_new ("animatic", "boards");
  g_autoptr(TakesTake) at_1 = NULL;

  takes_shot_add_take (shot, a);
  takes_shot_add_take (shot, b);
  takes_shot_add_take (shot, c);
  takes_shot_set_picked_take_id (shot, takes_take_get_id (b));

  takes_history_remove_take (history, shot, b);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Delete Take");
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (shot)), ==, 2);
  g_assert_null (takes_shot_get_picked_take_id (shot));

  takes_history_undo (history);
  g_assert_cmpuint (g_list_model_get_n_items (takes_shot_get_takes (shot)), ==, 3);
  at_1 = g_list_model_get_item (takes_shot_get_takes (shot), 1);
  g_assert_true (at_1 == b);
  g_assert_true (takes_shot_get_picked_take (shot) == b);

  /* The restored take is watched again. */
  takes_project_set_modified (project, FALSE);
  takes_take_set_rating (b, 5);
  g_assert_true (takes_project_get_modified (project));

  takes_history_redo (history);
  g_assert_null (takes_shot_find_take (shot, takes_take_get_id (b)));
}

static void
test_other_objects (void)
{
  g_autoptr(TakesProject) project = project_with_shots (1);
  g_autoptr(TakesHistory) history = takes_history_new (project);
  g_autoptr(TakesTake) take = takes_take_new ("kling", "v2");
  g_autoptr(TakesSoundtrackClip) clip = takes_soundtrack_clip_new ("F.media/a.ogg");
  g_auto(GValue) value = G_VALUE_INIT;

  takes_shot_add_take (takes_project_get_shot (project, 0), take);
  takes_project_add_soundtrack_clip (project, clip);

  takes_history_set_string (history, project, "title", "Harbour");
  g_assert_cmpstr (takes_project_get_title (project), ==, "Harbour");
  takes_history_set_int64 (history, project, "width", 1280);
  g_assert_cmpint (takes_project_get_width (project), ==, 1280);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Change Video Size");
  takes_history_set_int64 (history, take, "rating", 4);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Rate Take");
  takes_history_set_double (history, clip, "volume", 0.25);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Change Volume");

  g_value_init (&value, TAKES_TYPE_TRANSITION);
  g_value_set_enum (&value, TAKES_TRANSITION_CROSSFADE);
  takes_history_set (history, takes_project_get_shot (project, 0), "transition", &value);
  g_assert_cmpint (takes_shot_get_transition (takes_project_get_shot (project, 0)), ==, TAKES_TRANSITION_CROSSFADE);

  takes_history_undo (history);
  g_assert_cmpint (takes_shot_get_transition (takes_project_get_shot (project, 0)), ==, TAKES_TRANSITION_CUT);
  takes_history_undo (history);
  g_assert_cmpfloat (takes_soundtrack_clip_get_volume (clip), ==, 1.0);
  takes_history_undo (history);
  g_assert_cmpint (takes_take_get_rating (take), ==, 0);
  takes_history_undo (history);
  g_assert_cmpint (takes_project_get_width (project), ==, 1920);
  takes_history_undo (history);
  g_assert_cmpstr (takes_project_get_title (project), ==, "");
}

typedef struct
{
  guint can_undo;
  guint undo_label;
} Notes;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Notes      *notes)
{
  if (g_str_equal (pspec->name, "can-undo"))
    notes->can_undo++;
  else if (g_str_equal (pspec->name, "undo-label"))
    notes->undo_label++;
}

static void
test_properties_and_clear (void)
{
  g_autoptr(TakesProject) project = project_with_shots (1);
  g_autoptr(TakesHistory) history = takes_history_new (project);
  TakesShot *shot = takes_project_get_shot (project, 0);
  Notes notes = { 0 };
  gboolean can_undo;
  g_autofree char *label = NULL;

  g_signal_connect (history, "notify", G_CALLBACK (on_notify), &notes);

  takes_history_set_string (history, shot, "prompt", "a");
  g_assert_cmpuint (notes.can_undo, ==, 1);
  g_assert_cmpuint (notes.undo_label, ==, 1);
  g_object_get (history, "can-undo", &can_undo, "undo-label", &label, NULL);
  g_assert_true (can_undo);
  g_assert_cmpstr (label, ==, "Edit Prompt");

  /* Coalesced typing changes neither. */
  takes_history_set_string (history, shot, "prompt", "ab");
  g_assert_cmpuint (notes.can_undo, ==, 1);
  g_assert_cmpuint (notes.undo_label, ==, 1);

  takes_history_clear (history);
  g_assert_cmpuint (notes.can_undo, ==, 2);
  g_assert_false (takes_history_can_undo (history));
  g_assert_false (takes_history_can_redo (history));
  g_assert_cmpstr (takes_shot_get_prompt (shot), ==, "ab");
}

static void
test_depth_limit (void)
{
  g_autoptr(TakesProject) project = project_with_shots (1);
  g_autoptr(TakesHistory) history = takes_history_new (project);
  TakesShot *shot = takes_project_get_shot (project, 0);
  guint undone = 0;

  for (guint i = 1; i <= 600; i++)
    {
      takes_history_set_int64 (history, shot, "seed", i);
      takes_history_break_coalescing (history);
    }

  while (takes_history_undo (history))
    undone++;

  g_assert_cmpuint (undone, ==, 500);
  g_assert_cmpint (takes_shot_get_seed (shot), ==, 100);
}

static void
test_soundtrack (void)
{
  g_autoptr(TakesProject) project = takes_project_new ();
  g_autoptr(TakesHistory) history = takes_history_new (project);
  g_autoptr(TakesSoundtrackClip) music = takes_soundtrack_clip_new ("Film.media/score.ogg");
  GListModel *soundtrack = takes_project_get_soundtrack (project);

  takes_history_add_soundtrack_clip (history, music);
  g_assert_cmpuint (g_list_model_get_n_items (soundtrack), ==, 1);
  g_assert_cmpstr (takes_history_get_undo_label (history), ==, "Add Music");

  takes_history_undo (history);
  g_assert_cmpuint (g_list_model_get_n_items (soundtrack), ==, 0);
  takes_history_redo (history);
  g_assert_cmpuint (g_list_model_get_n_items (soundtrack), ==, 1);

  takes_history_remove_soundtrack_clip (history, music);
  g_assert_cmpuint (g_list_model_get_n_items (soundtrack), ==, 0);
  takes_history_undo (history);
  g_assert_cmpuint (g_list_model_get_n_items (soundtrack), ==, 1);
  {
    g_autoptr(TakesSoundtrackClip) back = g_list_model_get_item (soundtrack, 0);
    g_assert_true (back == music);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Takes/History/set-undo-redo", test_set_undo_redo);
  g_test_add_func ("/Takes/History/coalescing", test_coalescing);
  g_test_add_func ("/Takes/History/groups", test_groups);
  g_test_add_func ("/Takes/History/shot-list-edits", test_shot_list_edits);
  g_test_add_func ("/Takes/History/remove-take", test_remove_take);
  g_test_add_func ("/Takes/History/other-objects", test_other_objects);
  g_test_add_func ("/Takes/History/properties-and-clear", test_properties_and_clear);
  g_test_add_func ("/Takes/History/depth-limit", test_depth_limit);
  g_test_add_func ("/Takes/History/soundtrack", test_soundtrack);

  return g_test_run ();
}
