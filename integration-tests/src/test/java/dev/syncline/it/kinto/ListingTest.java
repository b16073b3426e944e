package dev.syncline.it.kinto;

import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static dev.syncline.it.support.KintoClient.etag;
import static dev.syncline.it.support.KintoClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.SharedNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing: changes since a timestamp, filters, sorting, projection, counts and pages. */
class ListingTest {
  private final KintoClient alice = SharedNode.client(SharedNode.unique("alice"));
  private String records;

  @BeforeEach
  void collectionWithRecords() {
    String bucket = SharedNode.unique("b");
    alice.collection(bucket, "c");
    records = "/buckets/" + bucket + "/collections/c/records";
    put("a", new JsonObject().put("title", "Buy milk").put("n", 1).put("tags", new JsonArray().add("home"))
        .put("meta", new JsonObject().put("owner", "me")));
    put("b", new JsonObject().put("title", "Walk the dog").put("n", 5).put("tags", new JsonArray().add("pets")));
    put("c", new JsonObject().put("title", "Fix bike").put("n", 3).put("done", true));
  }

  private long put(String id, JsonObject data) {
    return etag(expect(alice.put(records + "/" + id, new JsonObject().put("data", data)), 201));
  }

  private List<String> ids(String query) {
    HttpResponse<String> response = expect(alice.get(records + query), 200);
    List<String> ids = new ArrayList<>();
    new JsonObject(response.body()).getJsonArray("data").forEach(item -> ids.add(((JsonObject) item).getString("id")));
    return ids;
  }

  @Test
  void anEmptyListReadByManyAtOnceGetsOneTimestamp() throws Exception {
    // The first read of an empty list gives it its timestamp: readers racing to do so must all get the same one.
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        String bucket = SharedNode.unique("empty");
        alice.collection(bucket, "c");
        String empty = "/buckets/" + bucket + "/collections/c/records";
        List<Future<HttpResponse<String>>> reads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          reads.add(readers.submit(() -> alice.get(empty)));
        }
        Set<Long> timestamps = new HashSet<>();
        for (Future<HttpResponse<String>> read : reads) {
          timestamps.add(etag(expect(read.get(30, TimeUnit.SECONDS), 200)));
        }
        assertThat(timestamps).hasSize(1);
      }
    } finally {
      readers.shutdownNow();
    }
  }

  @Test
  void defaultOrderIsNewestFirst() {
    assertThat(ids("")).containsExactly("c", "b", "a");
  }

  @Test
  void sinceShowsChangesAndDeletions() {
    long afterSetup = etag(alice.get(records));
    expect(alice.delete(records + "/a"), 200);
    put("d", new JsonObject());
    JsonArray changes = new JsonObject(expect(alice.get(records + "?_since=" + afterSetup), 200).body())
        .getJsonArray("data");
    assertThat(changes).hasSize(2);
    assertThat(changes.getJsonObject(0).getString("id")).isEqualTo("d");
    assertThat(changes.getJsonObject(1)).isEqualTo(new JsonObject().put("id", "a")
        .put("last_modified", changes.getJsonObject(1).getLong("last_modified")).put("deleted", true));
    assertThat(ids("?_since=%22" + afterSetup + "%22")).containsExactly("d", "a");
    // _before is strict: the last setup write carries the list timestamp itself.
    assertThat(ids("?_before=" + afterSetup)).contains("b").doesNotContain("c", "d");
  }

  @Test
  void filtersTakeKintoOperators() {
    assertThat(ids("?n=5")).containsExactly("b");
    assertThat(ids("?title=Fix%20bike")).containsExactly("c");
    assertThat(ids("?in_n=1,3&_sort=n")).containsExactly("a", "c");
    assertThat(ids("?exclude_id=a%2Cb")).containsExactly("c");
    assertThat(ids("?not_n=5&_sort=n")).containsExactly("a", "c");
    assertThat(ids("?lt_n=3")).containsExactly("a");
    assertThat(ids("?gt_n=3")).containsExactly("b");
    assertThat(ids("?min_n=3&_sort=n")).containsExactly("c", "b");
    assertThat(ids("?max_n=3&_sort=n")).containsExactly("a", "c");
    assertThat(ids("?like_title=dog")).containsExactly("b");
    assertThat(ids("?like_title=*BIK*")).containsExactly("c");
    assertThat(ids("?like_title=Walk*")).containsExactly("b");
    assertThat(ids("?has_done=true")).containsExactly("c");
    assertThat(ids("?has_done=false&_sort=id")).containsExactly("a", "b");
    assertThat(ids("?contains_tags=%5B%22home%22%5D")).containsExactly("a");
    assertThat(ids("?contains_any_tags=pets,work")).containsExactly("b");
    assertThat(ids("?meta.owner=me")).containsExactly("a");
    assertThat(ids("?_expected=123&_cachebust=1")).hasSize(3);
  }

  @Test
  void sortTakesSeveralFieldsAndDirections() {
    put("d", new JsonObject().put("n", 5).put("title", "Another"));
    assertThat(ids("?_sort=-n,title")).containsExactly("d", "b", "c", "a");
    assertThat(ids("?_sort=title")).containsExactly("d", "a", "c", "b");
  }

  @Test
  void fieldsProjectAndKeepIdAndTimestamp() {
    JsonObject first = new JsonObject(expect(alice.get(records + "?_fields=title&id=a"), 200).body())
        .getJsonArray("data").getJsonObject(0);
    assertThat(first.fieldNames()).containsExactlyInAnyOrder("id", "last_modified", "title");
  }

  @Test
  void headCountsWithoutABody() {
    HttpResponse<String> response = expect(alice.head(records + "?min_n=3"), 200);
    assertThat(response.headers().firstValue("Total-Records")).hasValue("2");
    assertThat(response.headers().firstValue("Total-Objects")).hasValue("2");
    assertThat(response.body()).isEmpty();
    assertThat(etag(response)).isEqualTo(etag(alice.get(records)));
  }

  @Test
  void filteredListsCarryTheListTimestamp() {
    assertThat(etag(alice.get(records + "?n=1"))).isEqualTo(etag(alice.get(records)));
  }

  @Test
  void badParametersAreBadRequests() {
    assertKintoError(alice.get(records + "?_limit=zero"), 400, 107, "Bad Request");
    assertKintoError(alice.get(records + "?_limit=0"), 400, 107, "Bad Request");
    assertKintoError(alice.get(records + "?_since=yesterday"), 400, 107, "Bad Request");
    assertKintoError(alice.get(records + "?_token=garbage"), 400, 107, "Bad Request");
    assertKintoError(alice.get(records + "?gt_last_modified=abc"), 400, 107, "Bad Request");
  }

  @Test
  void pagesFollowNextPageVerbatim() {
    for (int i = 0; i < 7; i++) {
      put("p" + i, new JsonObject().put("n", 100 + i));
    }
    List<String> seen = new ArrayList<>();
    String next = records + "?_sort=-last_modified&_limit=3";
    long firstEtag = -1;
    int pages = 0;
    while (next != null) {
      HttpResponse<String> page = expect(alice.get(next), 200);
      if (firstEtag < 0) {
        firstEtag = etag(page);
      }
      assertThat(etag(page)).isEqualTo(firstEtag);
      new JsonObject(page.body()).getJsonArray("data").forEach(item -> seen.add(((JsonObject) item).getString("id")));
      next = page.headers().firstValue("Next-Page").orElse(null);
      if (next != null) {
        assertThat(next).startsWith("http://").contains("_sort=-last_modified").contains("_limit=3");
      }
      pages++;
    }
    assertThat(pages).isEqualTo(4);
    assertThat(seen).hasSize(10).doesNotHaveDuplicates();
  }

  @Test
  void theServerPagesLargeListsItself() {
    for (int i = 0; i < 55; i++) {
      put("many" + i, new JsonObject());
    }
    HttpResponse<String> first = expect(alice.get(records), 200);
    assertThat(new JsonObject(first.body()).getJsonArray("data")).hasSize(50);
    String next = first.headers().firstValue("Next-Page").orElseThrow();
    assertThat(new JsonObject(expect(alice.get(next), 200).body()).getJsonArray("data")).hasSize(8);
  }

  /**
   * A client pages through changes while another writes: whatever changed during the pages comes in the next sync
   * from the ETag it kept, so no change is ever skipped.
   */
  @Test
  void pagingWhileOthersWriteSkipsNothing() {
    Map<String, Long> server = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      String id = "s" + i;
      server.put(id, put(id, new JsonObject().put("v", 0)));
    }
    Map<String, Long> client = new HashMap<>();
    long since = -1;
    for (int round = 0; round < 3; round++) {
      String next = records + "?_sort=-last_modified&_limit=4" + (since < 0 ? "" : "&_since=" + since);
      long lastEtag = 0;
      int page = 0;
      while (next != null) {
        HttpResponse<String> response = expect(alice.get(next), 200);
        new JsonObject(response.body()).getJsonArray("data").forEach(item -> {
          JsonObject record = (JsonObject) item;
          if (record.getBoolean("deleted", false)) {
            client.remove(record.getString("id"));
          } else {
            client.put(record.getString("id"), record.getLong("last_modified"));
          }
        });
        lastEtag = etag(response);
        // Another device writes between the pages: an update, a creation and a deletion.
        String updated = "s" + ((round * 5 + page) % 12);
        if (server.containsKey(updated)) {
          server.put(updated, etag(expect(alice.put(records + "/" + updated,
              new JsonObject().put("data", new JsonObject().put("v", round))), 200)));
        }
        String created = "new" + round + "-" + page;
        server.put(created, put(created, new JsonObject()));
        String deleted = "s" + ((round * 3 + page + 7) % 12);
        if (server.remove(deleted) != null) {
          expect(alice.delete(records + "/" + deleted), 200);
        }
        next = response.headers().firstValue("Next-Page").orElse(null);
        page++;
      }
      since = lastEtag;
    }
    HttpResponse<String> last = expect(alice.get(records + "?_since=" + since), 200);
    new JsonObject(last.body()).getJsonArray("data").forEach(item -> {
      JsonObject record = (JsonObject) item;
      if (record.getBoolean("deleted", false)) {
        client.remove(record.getString("id"));
      } else {
        client.put(record.getString("id"), record.getLong("last_modified"));
      }
    });
    Map<String, Long> expected = new HashMap<>(server);
    expected.put("a", null);
    expected.put("b", null);
    expected.put("c", null);
    assertThat(client.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    server.forEach((id, stamp) -> assertThat(client.get(id)).as(id).isEqualTo(stamp));
  }
}
