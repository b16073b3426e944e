package dev.syncline.push.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class OffsetOrderTest {
  private final List<String> received = new ArrayList<>();

  /** Deliveries read as {@code "offset=message"}, with {@code " after a loss"} when offsets before were lost. */
  private OffsetOrder after(long delivered) {
    return new OffsetOrder(delivered, (offset, message, complete) -> received.add(offset + "=" + message
        + (complete ? "" : " after a loss")));
  }

  private static JsonArray history(long... offsets) {
    JsonArray history = new JsonArray();
    for (long offset : offsets) {
      history.add(new JsonObject().put("offset", offset).put("message", "h" + offset));
    }
    return history;
  }

  @Test
  void messagesInOrderPassStraightThrough() {
    OffsetOrder order = after(0);
    order.offer(1, "a");
    order.offer(2, "b");
    order.offer(3, "c");
    assertThat(received).containsExactly("1=a", "2=b", "3=c");
    assertThat(order.waiting()).isFalse();
    assertThat(order.delivered()).isEqualTo(3);
  }

  @Test
  void anEarlyMessageIsHeldUntilTheOnesBeforeItArrive() {
    OffsetOrder order = after(4);
    order.offer(7, "g");
    order.offer(6, "f");
    assertThat(received).isEmpty();
    assertThat(order.waiting()).isTrue();
    assertThat(order.held()).isEqualTo(2);
    order.offer(5, "e");
    assertThat(received).containsExactly("5=e", "6=f", "7=g");
    assertThat(order.waiting()).isFalse();
    assertThat(order.held()).isZero();
  }

  @Test
  void whatWasDeliveredAlreadyIsDropped() {
    OffsetOrder order = after(5);
    order.offer(5, "replayed");
    order.offer(2, "old");
    order.offer(7, "g");
    order.offer(7, "g again");
    order.offer(6, "f");
    order.offer(6, "f again");
    assertThat(received).containsExactly("6=f", "7=g");
  }

  @Test
  void nullIsAMessageLikeAnyOther() {
    OffsetOrder order = after(0);
    order.offer(2, null);
    order.offer(1, "a");
    assertThat(received).containsExactly("1=a", "2=null");
  }

  @Test
  void theHistoryFillsAGapAndHeldMessagesAreNotSentTwice() {
    OffsetOrder order = after(0);
    order.offer(1, "a");
    order.offer(3, "c");
    order.fill(history(2, 3), 3);
    assertThat(received).containsExactly("1=a", "2=h2", "3=c");
    assertThat(order.waiting()).isFalse();
    order.offer(3, "c late");
    order.offer(2, "b late");
    assertThat(received).hasSize(3);
  }

  @Test
  void anOverdueOffsetGoneFromTheHistoryIsSkippedAndTheNextMessageSaysSo() {
    OffsetOrder order = after(0);
    order.offer(1, "a");
    order.offer(5, "e");
    // 2 and 3 expired from the history; 4 is still there.
    order.fill(history(4, 5), 5);
    assertThat(received).containsExactly("1=a", "4=h4 after a loss", "5=e");
    order.offer(6, "f");
    assertThat(received).last().isEqualTo("6=f");
  }

  @Test
  void aMissingOffsetNotYetOverdueStopsTheFillAndWhatFollowsItIsHeld() {
    OffsetOrder order = after(0);
    order.offer(2, "b");
    // 1 may still be on its way (it was not overdue when the read began); 3 and 4 come from the history.
    order.fill(history(2, 3, 4), 0);
    assertThat(received).isEmpty();
    assertThat(order.seen()).isEqualTo(4);
    order.offer(1, "a");
    assertThat(received).containsExactly("1=a", "2=b", "3=h3", "4=h4");
    assertThat(order.waiting()).isFalse();
  }

  @Test
  void theHistoryCarriesMessagesBeyondTheHighestOffsetSeen() {
    // A node that had not yet seen this subscriber's interest sent it nothing: the first check reads it all.
    OffsetOrder order = after(10);
    order.fill(history(11, 12, 14), 10);
    assertThat(received).containsExactly("11=h11", "12=h12");
    assertThat(order.waiting()).isTrue();
    order.fill(history(14), 14);
    assertThat(received).containsExactly("11=h11", "12=h12", "14=h14 after a loss");
  }

  @Test
  void heldMessagesAreBoundedAndTheNewestDroppedAreReadFromTheHistory() {
    OffsetOrder order = after(0);
    long last = OffsetOrder.MAX_HELD + 2;
    for (long offset = 3; offset <= last; offset++) {
      order.offer(offset, "m" + offset);
    }
    assertThat(order.held()).isEqualTo(OffsetOrder.MAX_HELD);
    // An older one still goes in: the newest held gives way.
    order.offer(2, "m2");
    assertThat(order.held()).isEqualTo(OffsetOrder.MAX_HELD);
    order.offer(1, "m1");
    assertThat(received).hasSize(OffsetOrder.MAX_HELD + 1);
    assertThat(order.seen()).isEqualTo(last);
    assertThat(order.waiting()).isTrue();

    order.fill(history(last - 1, last), last);
    assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(1, last)
        .mapToObj(offset -> offset + "=" + (offset == last ? "h" : "m") + offset).toList());
  }
}
