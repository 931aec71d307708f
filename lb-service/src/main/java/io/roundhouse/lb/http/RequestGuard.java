package io.roundhouse.lb.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection's gate, between Vert.x's HTTP codec and Vert.x's connection handler: every
 * request head passes {@link EdgeRules} before Vert.x sees it, and every request must arrive in
 * time: its head within {@code LB_HEADER_TIMEOUT} and all of it within {@code LB_REQUEST_TIMEOUT}
 * of its first byte (for the first request, of the connection's opening). Vert.x has no such
 * timeouts.
 *
 * <p>A refused request is answered here ({@link Rejection}) and the connection closed: whatever
 * follows on it can no longer be framed. When responses to earlier requests are still owed the
 * answer waits for them, so that answers stay in order; when the refused request's own response has
 * begun, the connection is only closed. After a 101 the gate leaves the pipeline: a tunnel's bytes
 * are no requests.
 */
final class RequestGuard extends ChannelDuplexHandler {

  static final String NAME = "roundhouse-request-guard";
  static final String WATCHER = "roundhouse-request-start";

  /** Where the connection's current inbound request is. */
  enum State {
    /** Between requests: nothing of the next one has arrived (keep-alive idling). */
    IDLE,
    /** A request has begun, its head is incomplete. */
    HEAD,
    /** Its head went on to Vert.x; its body is arriving. */
    BODY,
    /** Refused: nothing more is read or passed on. */
    REFUSED
  }

  private final EdgeConfig config;
  private final EdgeRejections rejections;
  private ChannelHandlerContext ctx;
  private State state = State.IDLE;
  private ScheduledFuture<?> headerDeadline;
  private ScheduledFuture<?> requestDeadline;
  private int headsPassed;
  private int responsesStarted;
  private int responsesEnded;
  private Rejection deferred;
  private int owedBeforeAnswer;
  private boolean answered;

  RequestGuard(EdgeConfig config, EdgeRejections rejections) {
    this.config = config;
    this.rejections = rejections;
  }

  /** The handler to put before the decoder: a request's first bytes start its clock. */
  ChannelHandler watcher() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext watcherCtx, Object msg) {
        if (state == State.IDLE && msg instanceof ByteBuf bytes && bytes.isReadable()) {
          begin();
        }
        watcherCtx.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    begin();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelDeadlines();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadlines();
    ctx.fireChannelInactive();
  }

  private void begin() {
    state = State.HEAD;
    headerDeadline = schedule(config.headerTimeout(), Rejection.HEADER_TIMEOUT);
    requestDeadline = schedule(config.requestTimeout(), Rejection.REQUEST_TIMEOUT);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.REFUSED) {
      ReferenceCountUtil.release(msg);
    } else if (msg instanceof HttpRequest head) {
      onHead(head);
    } else if (msg instanceof HttpContent content) {
      onContent(content);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void onHead(HttpRequest head) {
    if (head.decoderResult().isFailure()) {
      // Vert.x answers what the decoder refused (400, 414 or 431) and closes; counted here.
      cancelDeadlines();
      state = State.REFUSED;
      rejections.count(Rejection.MALFORMED);
      ctx.fireChannelRead(head);
      return;
    }
    Rejection rejection = EdgeRules.check(head);
    if (rejection != null) {
      ReferenceCountUtil.release(head);
      refuse(rejection);
      return;
    }
    EdgeRules.normalize(head);
    cancel(headerDeadline);
    if (state == State.IDLE) {
      // Its first bytes came in one read with the previous request's end: its clock starts now.
      requestDeadline = schedule(config.requestTimeout(), Rejection.REQUEST_TIMEOUT);
    }
    state = State.BODY;
    headsPassed++;
    ctx.fireChannelRead(head);
  }

  private void onContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      ReferenceCountUtil.release(content);
      refuse(Rejection.MALFORMED);
      return;
    }
    if (content instanceof LastHttpContent) {
      cancelDeadlines();
      state = State.IDLE;
    }
    ctx.fireChannelRead(content);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (answered) {
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new ClosedChannelException());
      return;
    }
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        switched(msg, promise);
        return;
      }
      if (code < 200) {
        // An interim answer (100 Continue, 103) neither begins nor ends the response.
        ctx.write(msg, promise);
        return;
      }
      responsesStarted++;
    }
    boolean ended = msg instanceof LastHttpContent && responsesEnded < responsesStarted;
    if (ended) {
      responsesEnded++;
    }
    ctx.write(msg, promise);
    if (ended && deferred != null && responsesEnded == owedBeforeAnswer) {
      answer(deferred);
    }
  }

  /** A WebSocket tunnel from here on: the gate and its watcher leave the pipeline. */
  private void switched(Object msg, ChannelPromise promise) {
    cancelDeadlines();
    ChannelPipeline pipeline = ctx.pipeline();
    ctx.write(msg, promise);
    if (pipeline.get(WATCHER) != null) {
      pipeline.remove(WATCHER);
    }
    pipeline.remove(this);
  }

  private void refuse(Rejection rejection) {
    // The responses owed before this request's answer: those of the requests passed before it.
    int owed = state == State.BODY ? headsPassed - 1 : headsPassed;
    state = State.REFUSED;
    cancelDeadlines();
    rejections.count(rejection);
    if (responsesStarted > owed) {
      // Its own response has begun: nothing can be said any more.
      ctx.close();
    } else if (responsesEnded < owed) {
      deferred = rejection;
      owedBeforeAnswer = owed;
    } else {
      answer(rejection);
    }
  }

  private void answer(Rejection rejection) {
    answered = true;
    RefusalAnswers.writeAndClose(ctx, rejection);
  }

  private ScheduledFuture<?> schedule(Duration timeout, Rejection rejection) {
    if (timeout.isZero()) {
      return null;
    }
    return ctx.executor()
        .schedule(() -> expired(rejection), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void expired(Rejection rejection) {
    boolean due =
        state == State.HEAD || (state == State.BODY && rejection == Rejection.REQUEST_TIMEOUT);
    if (due && ctx.channel().isActive()) {
      refuse(rejection);
    }
  }

  private void cancelDeadlines() {
    cancel(headerDeadline);
    cancel(requestDeadline);
    headerDeadline = null;
    requestDeadline = null;
  }

  private static void cancel(ScheduledFuture<?> deadline) {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }
}
